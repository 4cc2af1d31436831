package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

const (
	sessionCookie = "maeul_session"
	// Sessions slide: each visit extends them. Staff sessions are shorter,
	// and also end StaffLifetime after sign-in however busy they are.
	citizenSessionTTL = 30 * 24 * time.Hour
	staffSessionTTL   = 2 * time.Hour
	// StaffLifetime is the longest a staff session lasts: a working day.
	StaffLifetime = 12 * time.Hour
	// ActingIdle ends an acting-for session nobody has used for this long.
	ActingIdle = 20 * time.Minute
	touchEvery = time.Minute
)

// Sessions stores sign-in sessions in the database.
type Sessions struct {
	db           *db.DB
	Now          func() time.Time
	SecureCookie bool
}

// NewSessions returns the session store of d.
func NewSessions(d *db.DB) *Sessions { return &Sessions{db: d, Now: time.Now} }

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Start creates a session for user and sets its cookie. Only the token's
// hash is stored, so a database leak does not leak sessions.
func (s *Sessions) Start(ctx context.Context, w http.ResponseWriter, r *http.Request, u User) error {
	token, ttl, err := s.Issue(ctx, u)
	if err != nil {
		return err
	}
	web.SetCookie(w, r, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: s.secure(r), SameSite: http.SameSiteLaxMode, MaxAge: int(ttl.Seconds())})
	// A token a page held before sign-in does not outlive it.
	web.RotateCSRF(w, r)
	return nil
}

// CookieName is the name of the session cookie, for API clients and tests.
const CookieName = sessionCookie

// Issue creates a session for u and returns its token and lifetime.
func (s *Sessions) Issue(ctx context.Context, u User) (string, time.Duration, error) {
	b := make([]byte, 32)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	now := s.Now()
	ttl := citizenSessionTTL
	if u.Role.Staff() {
		ttl = staffSessionTTL
	}
	// The cookie lives as long as the session may: the idle time is
	// checked on the server, which slides it.
	maxAge := ttl
	if u.Role.Staff() {
		maxAge = StaffLifetime
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (id, user_id, created_at, seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)`,
			hashToken(token), u.ID, db.Time(now), db.Time(now.Add(ttl))); err != nil {
			return err
		}
		a := &actor.Actor{Person: actor.Person{ID: u.ID, Name: u.Name, Role: u.Role}, Channel: actor.Online}
		return audit.Record(actor.With(ctx, a), tx, audit.Entry{Action: "session.start", SubjectType: "user", SubjectID: u.ID})
	})
	return token, maxAge, err
}

func (s *Sessions) secure(r *http.Request) bool {
	return s.SecureCookie || web.SecureRequest(r)
}

// End deletes the request's session and its cookie.
func (s *Sessions) End(ctx context.Context, w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if _, err := s.db.Exec(ctx, `DELETE FROM sessions WHERE id = $1`, hashToken(c.Value)); err != nil {
			return err
		}
	}
	web.SetCookie(w, r, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
	return nil
}

type sessionRow struct {
	id                     string
	user                   actor.Person
	disabled               bool
	created, seen, expires time.Time
	acting                 sql.NullInt64
	actingName             sql.NullString
	actingPhone            sql.NullString
	channel                sql.NullString
	actingSeen             sql.NullTime
}

// Load resolves the session cookie of r into an actor, or nil when there is
// no valid session. It extends the session at most once a minute, so that
// reading pages does not turn into a write per request.
func (s *Sessions) Load(ctx context.Context, r *http.Request) (*actor.Actor, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	var row sessionRow
	row.id = hashToken(c.Value)
	err = s.db.QueryRow(ctx, `SELECT u.id, u.name, COALESCE(u.phone, ''), u.role, u.disabled, s.created_at, s.seen_at, s.expires_at,
			s.acting_for, a.name, a.phone, s.acting_channel, s.acting_seen_at
		FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN users a ON a.id = s.acting_for
		WHERE s.id = $1`, row.id).Scan(&row.user.ID, &row.user.Name, &row.user.Phone, &row.user.Role, &row.disabled, &row.created, &row.seen, &row.expires,
		&row.acting, &row.actingName, &row.actingPhone, &row.channel, &row.actingSeen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	now := s.Now()
	if row.disabled || now.After(row.expires) || (row.user.Role.Staff() && now.After(row.created.Add(StaffLifetime))) {
		return nil, nil
	}
	a := &actor.Actor{Person: row.user, SessionID: row.id, Channel: actor.Online}
	if row.acting.Valid {
		if row.actingSeen.Valid && now.Sub(row.actingSeen.Time) > ActingIdle {
			if err := s.endActing(actor.With(ctx, a), row.id, row.acting.Int64, "idle"); err != nil {
				return nil, err
			}
		} else {
			a.ActingFor = &actor.Person{ID: row.acting.Int64, Name: row.actingName.String, Phone: row.actingPhone.String, Role: actor.Citizen}
			a.Channel = row.channel.String
		}
	}
	if now.Sub(row.seen) > touchEvery || (a.ActingFor != nil && now.Sub(row.actingSeen.Time) > touchEvery) {
		expires := now.Add(citizenSessionTTL)
		if row.user.Role.Staff() {
			expires = now.Add(staffSessionTTL)
			if end := row.created.Add(StaffLifetime); end.Before(expires) {
				expires = end
			}
		}
		if _, err := s.db.Exec(ctx, `UPDATE sessions SET seen_at = $1, expires_at = $2,
				acting_seen_at = CASE WHEN acting_for IS NULL THEN acting_seen_at ELSE $1 END WHERE id = $3`,
			db.Time(now), db.Time(expires), row.id); err != nil {
			slog.WarnContext(ctx, "auth: touch session", "err", err)
		}
	}
	return a, nil
}

// Middleware puts the actor of each request into its context.
func (s *Sessions) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, err := s.Load(r.Context(), r)
		if err != nil {
			slog.ErrorContext(r.Context(), "auth: load session", "err", err)
		}
		if a != nil {
			r = r.WithContext(actor.With(r.Context(), a))
		}
		next.ServeHTTP(w, r)
	})
}

// StartActing begins acting for citizen through channel (phone or in person).
func (s *Sessions) StartActing(ctx context.Context, citizen User, channel string) error {
	a := actor.From(ctx)
	if !a.Is(actor.Operator, actor.Guide, actor.CentreAdmin) {
		return errs.New(errs.Forbidden, "error.forbidden")
	}
	if channel != actor.Phone && channel != actor.InPerson {
		return errs.Field("channel", "acting.channel_invalid")
	}
	if citizen.Role != actor.Citizen {
		return errs.New(errs.Invalid, "acting.not_citizen")
	}
	now := db.Time(s.Now())
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET acting_for = $1, acting_channel = $2, acting_started_at = $3, acting_seen_at = $3 WHERE id = $4`,
			citizen.ID, channel, now, a.SessionID); err != nil {
			return err
		}
		acting := *a
		acting.ActingFor = &actor.Person{ID: citizen.ID, Name: citizen.Name, Role: actor.Citizen}
		acting.Channel = channel
		return audit.Record(actor.With(ctx, &acting), tx, audit.Entry{Action: "acting.start", SubjectType: "user", SubjectID: citizen.ID})
	})
}

// EndActing stops acting for a citizen.
func (s *Sessions) EndActing(ctx context.Context) error {
	a := actor.From(ctx)
	if a == nil || a.ActingFor == nil {
		return nil
	}
	return s.endActing(ctx, a.SessionID, a.ActingFor.ID, "explicit")
}

func (s *Sessions) endActing(ctx context.Context, sessionID string, citizen int64, why string) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sessions SET acting_for = NULL, acting_channel = NULL, acting_started_at = NULL, acting_seen_at = NULL
			WHERE id = $1 AND acting_for IS NOT NULL`, sessionID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "acting.end", SubjectType: "user", SubjectID: citizen, Detail: why})
	})
}

// prune deletes expired sessions.
// EndOthers ends every session of the signed-in person but the one of
// this request ("sign out everywhere else"), and says how many it ended.
func (s *Sessions) EndOthers(ctx context.Context) (int64, error) {
	a := actor.From(ctx)
	if a == nil {
		return 0, errs.New(errs.Unauthorized, "error.unauthorized")
	}
	var n int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND id <> $2`, a.ID, a.SessionID)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return audit.Record(ctx, tx, audit.Entry{Action: "session.end_others", SubjectType: "user", SubjectID: a.ID, Detail: strconv.FormatInt(n, 10)})
	})
	return n, err
}

// endAllTx ends every session of user userID but keep (the session of the
// request that changed the account, if it is theirs), in tx: after a new
// password, a new role or a disabled account no old session goes on.
func endAllTx(ctx context.Context, tx *sql.Tx, userID int64, keep string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND id <> $2`, userID, keep)
	return err
}

func (s *Sessions) prune(ctx context.Context) error {
	_, err := s.db.Exec(ctx, `DELETE FROM sessions WHERE expires_at < $1`, db.Time(s.Now()))
	return err
}
