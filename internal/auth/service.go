package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/auth/totp"
	"github.com/maeul/maeul/internal/codehash"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/notify"
)

// Sign-in limits. Codes stay valid long enough for someone who types slowly.
const (
	codeTTL         = 15 * time.Minute
	codeMaxAttempts = 5
)

// Sending codes: each text message costs the city, and a run of them to
// numbers nobody asked for (SMS pumping, to numbers whose operator pays the
// sender a share) costs it most. A number is "new" when no code went to it
// within the hour: per address, to that address; per prefix, from anyone.
var (
	codeSendsPerNumber   = Limit{Max: 5, Per: time.Hour, Key: "auth.code_send_wait"}
	codeSendsPerAddress  = Limit{Max: 30, Per: time.Hour, Key: "auth.code_send_wait"}
	codeNewPerAddress    = Limit{Max: 10, Per: time.Hour, Key: "auth.code_send_wait"}
	codeNewPerPrefix     = Limit{Max: 20, Per: time.Hour, Key: "auth.code_send_wait"}
	passwordFailsPerAddr = Limit{Max: 50, Per: 15 * time.Minute, Key: "auth.too_many_attempts"}
)

// Staff passwords are never locked: a lock that anyone may set off by
// typing wrong passwords would let anyone keep staff out. Failures count
// per account and client address; after passwordFreeFailures of them each
// further try from that address must wait, twice as long each time (from
// passwordFirstWait up to passwordMaxWait), while the same account from
// another address is not held back. When an account fails
// accountAttackedAfter times within the hour from anywhere, it is under
// attack and every address gets only one free failure before the waits
// begin, which slows many addresses each guessing a little but still lets
// the first try of the person with the right password and code in. One
// address failing on passwordFailsPerAddr accounts is refused for a while.
const (
	passwordFreeFailures = 5
	passwordFirstWait    = time.Second
	passwordMaxWait      = 15 * time.Minute
	passwordFailWindow   = 24 * time.Hour
	accountAttackedAfter = 20
)

// Service is sign-in: it checks credentials and codes and starts sessions.
type Service struct {
	db       *db.DB
	Users    *Users
	Sessions *Sessions
	notify   *notify.Service
	codes    *codehash.Key
	limit    *Limits
	Now      func() time.Time
}

// NewService wires the account store, sessions and notifier. secret is the
// platform's secret, from which the key of the sign-in codes' hashes
// derives; nil: a key for this process only (codehash).
func NewService(d *db.DB, n *notify.Service, secret []byte) *Service {
	s := &Service{db: d, Users: NewUsers(d), Sessions: NewSessions(d), notify: n, codes: codehash.New(secret), Now: time.Now}
	s.limit = &Limits{db: d, Now: func() time.Time { return s.Now() }}
	return s
}

// SendCode sends a one-time sign-in code to a phone number for the client
// at addr (web.ClientKey). It answers the same whether or not an account
// exists, so it cannot be used to find out who is registered.
func (s *Service) SendCode(ctx context.Context, phone, lang, addr string) (string, error) {
	p, err := NormalizePhone(phone)
	if err != nil {
		return "", err
	}
	if err := s.mayText(ctx, p, addr); err != nil {
		return "", err
	}
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	code := fmt.Sprintf("%06d", n.Int64())
	now := s.Now()
	if _, err := s.db.Exec(ctx, `INSERT INTO login_codes (phone, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		p, s.codes.Sum(codePurpose, p, code), db.Time(now), db.Time(now.Add(codeTTL))); err != nil {
		return "", err
	}
	// Sent now and kept nowhere: the outbox masks it (notify.SecretKinds).
	if err := s.notify.SendDirect(ctx, p, lang, notify.KindLoginCode, "auth.code_sms_subject", "auth.code_sms_body", code); err != nil {
		return "", err
	}
	return p, nil
}

// mayText takes one send from each limit on texting p from addr: the
// sender's own limits first and the number's last, so that a sender already
// refused takes nothing from a number's or a prefix's allowance, and every
// allowance taken is given back when a later one refuses.
func (s *Service) mayText(ctx context.Context, p, addr string) error {
	var taken []Ticket
	take := func(bucket string, lim Limit) error {
		t, err := s.limit.Take(ctx, bucket, lim)
		if err != nil {
			for _, t := range taken {
				t.Return(ctx)
			}
			return err
		}
		taken = append(taken, t)
		return nil
	}
	if err := take("code-addr:"+addr, codeSendsPerAddress); err != nil {
		return err
	}
	pair := "code-to:" + addr + ">" + p
	n, err := s.limit.count(ctx, pair, time.Hour)
	if err == nil && n == 0 {
		err = take("code-new-addr:"+addr, codeNewPerAddress)
	}
	if err != nil {
		return err
	}
	if n, err = s.limit.count(ctx, "code-send:"+p, time.Hour); err == nil && n == 0 {
		err = take("code-prefix:"+phonePrefix(p), codeNewPerPrefix)
	}
	if err != nil {
		return err
	}
	if err := take("code-send:"+p, codeSendsPerNumber); err != nil {
		return err
	}
	return s.limit.record(ctx, pair, db.Time(s.Now()))
}

// phonePrefix is the first seven digits of a number as it is dialled at
// home (010-1234-…: "0101234"), the block an operator hands out together.
func phonePrefix(e164 string) string {
	d := "0" + strings.TrimPrefix(e164, "+82")
	return d[:min(7, len(d))]
}

// codePurpose names sign-in codes among the keyed hashes; each is bound to
// its phone number.
const codePurpose = "login"

// VerifyCode checks a code for a phone number and returns the citizen's
// account, creating it on first sign-in (created reports that, so the page
// can ask for a name).
func (s *Service) VerifyCode(ctx context.Context, phone, code string) (u User, created bool, err error) {
	p, err := NormalizePhone(phone)
	if err != nil {
		return User{}, false, err
	}
	now := db.Time(s.Now())
	// One of the code's attempts is taken before the guess is looked at, in
	// one statement: the row's lock makes guesses made at once take turns,
	// so no more than codeMaxAttempts are ever compared, on either database.
	var id int64
	var hash string
	err = s.db.Write().QueryRowContext(ctx, `UPDATE login_codes SET attempts = attempts + 1
		WHERE id = (SELECT id FROM login_codes WHERE phone = $1 AND used = FALSE AND expires_at > $2 ORDER BY id DESC LIMIT 1)
			AND used = FALSE AND attempts < $3
		RETURNING id, code_hash`, p, now, codeMaxAttempts).Scan(&id, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		var n int
		if err := s.db.Write().QueryRowContext(ctx, `SELECT COUNT(*) FROM login_codes WHERE phone = $1 AND used = FALSE AND expires_at > $2`,
			p, now).Scan(&n); err != nil {
			return User{}, false, err
		}
		if n > 0 {
			return User{}, false, errs.Field("code", "auth.code_locked")
		}
		return User{}, false, errs.Field("code", "auth.code_expired")
	}
	if err != nil {
		return User{}, false, err
	}
	if !s.codes.Match(hash, codePurpose, p, code) {
		return User{}, false, errs.Field("code", "auth.code_wrong")
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE login_codes SET used = TRUE WHERE id = $1 AND used = FALSE`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 { // used by a guess made at the same time
			return errs.Field("code", "auth.code_expired")
		}
		u, err = scanUser(tx.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE phone = $1`, p))
		if errs.CodeOf(err) == errs.NotFound {
			created = true
			u, err = s.Users.CreateTx(ctx, tx, NewUser{Role: actor.Citizen, Phone: p})
		}
		return err
	})
	if err != nil {
		return User{}, false, err
	}
	if u.Role != actor.Citizen {
		return User{}, false, errs.New(errs.Forbidden, "auth.staff_use_password")
	}
	if u.Disabled {
		return User{}, false, errs.New(errs.Forbidden, "auth.account_disabled")
	}
	return u, created, nil
}

// CheckPassword signs staff in: username, password and — when the account
// has set one up — a TOTP code, from the client at addr (web.ClientKey).
// Failures make later tries wait (see passwordFreeFailures), never lock.
func (s *Service) CheckPassword(ctx context.Context, username, password, code, addr string) (User, error) {
	account := accountKey(username)
	byAddr, err := s.limit.Take(ctx, "pw-addr:"+addr, passwordFailsPerAddr)
	if err != nil {
		return User{}, err
	}
	turn, err := s.passwordTurn(ctx, account, addr)
	if err != nil {
		byAddr.Return(ctx)
		return User{}, err
	}
	u, err := s.checkPassword(ctx, username, password, code)
	switch e, _ := errs.As(err); {
	case err == nil:
		s.limit.Reset(ctx, "pw:"+account+"@"+addr)
		byAddr.Return(ctx)
	case e == nil, e.Key == "auth.totp_required":
		// Not a guess: an internal error, or the right password without
		// its code yet.
		turn.Return(ctx)
		byAddr.Return(ctx)
	default:
		if rerr := s.limit.record(ctx, "pw-acct:"+account, db.Time(s.Now())); rerr != nil {
			return User{}, rerr
		}
	}
	return u, err
}

// passwordTurn takes a try at account's password from addr, or refuses it
// with the wait still due. The try counts as a failure until it is given
// back, so that tries made at once see each other.
func (s *Service) passwordTurn(ctx context.Context, account, addr string) (Ticket, error) {
	attacked := false
	if n, err := s.limit.count(ctx, "pw-acct:"+account, time.Hour); err != nil {
		return Ticket{}, err
	} else if n >= accountAttackedAfter {
		attacked = true
	}
	t, left, err := s.limit.turn(ctx, "pw:"+account+"@"+addr, passwordFailWindow, func(fails int, last time.Time) time.Duration {
		free := passwordFreeFailures
		if attacked {
			free = 1
		}
		if fails < free {
			return 0
		}
		return last.Add(passwordWait(fails - free)).Sub(db.Time(s.Now()))
	})
	if err != nil {
		return Ticket{}, err
	}
	if left > 0 {
		return Ticket{}, tooMany("auth.password_wait", left)
	}
	return t, nil
}

// passwordWait is the wait after the free failures and n more.
func passwordWait(n int) time.Duration {
	if n >= 20 {
		return passwordMaxWait
	}
	return min(passwordFirstWait<<n, passwordMaxWait)
}

// accountKey names an account in the limits' buckets: the user name as
// typed, or a digest of one too long to be any.
func accountKey(username string) string {
	if len(username) <= 64 {
		return username
	}
	sum := sha256.Sum256([]byte(username))
	return "sha256:" + hex.EncodeToString(sum[:])
}

func (s *Service) checkPassword(ctx context.Context, username, password, code string) (User, error) {
	var id int64
	var hash, secret sql.NullString
	var lastStep int64
	var disabled bool
	err := s.db.Read().QueryRowContext(ctx, `SELECT id, password_hash, totp_secret, totp_last_step, disabled FROM users WHERE username = $1`, username).
		Scan(&id, &hash, &secret, &lastStep, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		CheckPassword(dummyHash, password) // same work whether or not the account exists
		return User{}, errs.New(errs.Unauthorized, "auth.bad_credentials")
	}
	if err != nil {
		return User{}, err
	}
	if disabled || !hash.Valid || !CheckPassword(hash.String, password) {
		return User{}, errs.New(errs.Unauthorized, "auth.bad_credentials")
	}
	if secret.Valid {
		if code == "" {
			return User{}, errs.Field("totp", "auth.totp_required")
		}
		step, ok := totp.Verify(secret.String, code, s.Now(), 1)
		if !ok || step <= lastStep {
			return User{}, errs.Field("totp", "auth.totp_wrong")
		}
		// Remember the step so the same code cannot be replayed.
		res, err := s.db.Exec(ctx, `UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1`, step, id)
		if err != nil {
			return User{}, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return User{}, errs.Field("totp", "auth.totp_wrong")
		}
	}
	return s.Users.Get(ctx, id)
}

var dummyHash = HashPassword("not a real password")

// EnableTOTP stores a confirmed TOTP secret for the signed-in staff member.
// Replacing one already on takes a current code from it (current), so a
// session left open cannot move someone's second factor to another phone.
func (s *Service) EnableTOTP(ctx context.Context, secret, code, current string) error {
	a := actor.From(ctx)
	if a == nil || !a.Role.Staff() {
		return errs.New(errs.Forbidden, "error.forbidden")
	}
	var old sql.NullString
	var lastStep int64
	if err := s.db.Read().QueryRowContext(ctx, `SELECT totp_secret, totp_last_step FROM users WHERE id = $1`, a.ID).Scan(&old, &lastStep); err != nil {
		return err
	}
	oldStep := lastStep
	if old.Valid {
		if current == "" {
			return errs.Field("current_totp", "auth.totp_current_required")
		}
		st, ok := totp.Verify(old.String, current, s.Now(), 1)
		if !ok || st <= lastStep {
			return errs.Field("current_totp", "auth.totp_wrong")
		}
		oldStep = st
	}
	step, ok := totp.Verify(secret, code, s.Now(), 1)
	if !ok {
		return errs.Field("totp", "auth.totp_wrong")
	}
	action := "user.totp_enable"
	if old.Valid {
		action = "user.totp_replace"
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		// Only over the secret that was checked, and with its code used
		// once: a second request with the same codes changes nothing.
		res, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = $1, totp_last_step = $2
			WHERE id = $3 AND COALESCE(totp_secret, '') = $4 AND (totp_secret IS NULL OR totp_last_step < $5)`,
			secret, step, a.ID, old.String, oldStep)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.Field("current_totp", "auth.totp_wrong")
		}
		return audit.Record(ctx, tx, audit.Entry{Action: action, SubjectType: "user", SubjectID: a.ID})
	})
}

// SetPassword replaces a staff member's password (the `user` command) and
// ends every session of the account, so whoever knew the old one is out.
func (s *Service) SetPassword(ctx context.Context, username, password string) error {
	if len(password) < 10 {
		return errs.Field("password", "auth.password_short")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `UPDATE users SET password_hash = $1 WHERE username = $2 RETURNING id`, HashPassword(password), username).Scan(&id)
		if err != nil {
			return db.NotFound(err, "auth.user_not_found")
		}
		if err := endAllTx(ctx, tx, id, keepSession(ctx, id)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "user.password", SubjectType: "user", SubjectID: id})
	})
}

// SetDisabled disables an account (no sign-in, every session ended) or
// enables it again. A system administrator does it, never to their own
// account; it is audited.
func (s *Service) SetDisabled(ctx context.Context, userID int64, disabled bool) error {
	a := actor.From(ctx)
	if a == nil || !a.Is(actor.SysAdmin) || a.ActingFor != nil {
		return errs.New(errs.Forbidden, "error.forbidden")
	}
	if a.ID == userID {
		return errs.New(errs.Conflict, "auth.disable_self")
	}
	action := "user.enable"
	if disabled {
		action = "user.disable"
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET disabled = $1 WHERE id = $2`, disabled, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.New(errs.NotFound, "auth.user_not_found")
		}
		if disabled {
			if err := endAllTx(ctx, tx, userID, ""); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{Action: action, SubjectType: "user", SubjectID: userID})
	})
}

// keepSession is the request's own session when it belongs to userID (a
// person changing their own account stays signed in there), or "".
func keepSession(ctx context.Context, userID int64) string {
	if a := actor.From(ctx); a != nil && a.ID == userID {
		return a.SessionID
	}
	return ""
}

// Prune removes expired sessions, codes and rate-limit events.
func (s *Service) Prune(ctx context.Context) error {
	if err := s.Sessions.prune(ctx); err != nil {
		return err
	}
	if _, err := s.db.Exec(ctx, `DELETE FROM login_codes WHERE expires_at < $1`, db.Time(s.Now().Add(-time.Hour))); err != nil {
		return err
	}
	return s.limit.prune(ctx)
}
