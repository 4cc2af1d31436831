package auth

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
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
	codeTTL          = 15 * time.Minute
	codeMaxAttempts  = 5
	codeSendsPerHour = 5
	passwordTries    = 10 // per account and per address, each per 15 minutes
	triesWindow      = 15 * time.Minute
)

// Service is sign-in: it checks credentials and codes and starts sessions.
type Service struct {
	db       *db.DB
	Users    *Users
	Sessions *Sessions
	notify   *notify.Service
	codes    *codehash.Key
	limit    limiter
	Now      func() time.Time
}

// NewService wires the account store, sessions and notifier. secret is the
// platform's secret, from which the key of the sign-in codes' hashes
// derives; nil: a key for this process only (codehash).
func NewService(d *db.DB, n *notify.Service, secret []byte) *Service {
	s := &Service{db: d, Users: NewUsers(d), Sessions: NewSessions(d), notify: n, codes: codehash.New(secret), Now: time.Now}
	s.limit = limiter{db: d, now: func() time.Time { return s.Now() }}
	return s
}

// SendCode sends a one-time sign-in code to a phone number. It answers the
// same whether or not an account exists, so it cannot be used to find out
// who is registered.
func (s *Service) SendCode(ctx context.Context, phone, lang, clientIP string) (string, error) {
	p, err := NormalizePhone(phone)
	if err != nil {
		return "", err
	}
	if err := s.limit.allow(ctx, "code-send:"+p, codeSendsPerHour, time.Hour); err != nil {
		return "", err
	}
	if err := s.limit.allow(ctx, "code-send-ip:"+clientIP, 30, time.Hour); err != nil {
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
	return u, created, nil
}

// CheckPassword signs staff in: username, password and — when the account
// has set one up — a TOTP code.
func (s *Service) CheckPassword(ctx context.Context, username, password, code, clientIP string) (User, error) {
	if err := s.limit.allow(ctx, "pw-user:"+username, passwordTries, triesWindow); err != nil {
		return User{}, err
	}
	if err := s.limit.allow(ctx, "pw-ip:"+clientIP, passwordTries*5, triesWindow); err != nil {
		return User{}, err
	}
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
	s.limit.reset(ctx, "pw-user:"+username)
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

// SetPassword replaces a staff member's password (the `user` command).
func (s *Service) SetPassword(ctx context.Context, username, password string) error {
	if len(password) < 10 {
		return errs.Field("password", "auth.password_short")
	}
	res, err := s.db.Exec(ctx, `UPDATE users SET password_hash = $1 WHERE username = $2`, HashPassword(password), username)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.New(errs.NotFound, "auth.user_not_found")
	}
	return nil
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
