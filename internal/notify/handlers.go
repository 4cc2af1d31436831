package notify

import (
	"context"
	"embed"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Handlers serves the preference page, the outbox page and their API.
type Handlers struct {
	svc   *Service
	views *web.Views
}

// Register adds the preference page, the outbox page and their API.
func Register(rt *web.Router, s *Service) {
	h := &Handlers{svc: s, views: web.MustViews(templateFS)}
	rt.Handle("GET /account/notifications", h.prefsPage)
	rt.Handle("POST /account/notifications", h.savePrefs)
	rt.Handle("GET /api/v1/me/notifications", h.prefsAPI)
	rt.Handle("POST /api/v1/me/notifications", h.savePrefsAPI)
	rt.Handle("GET /admin/outbox", h.outboxPage)
	rt.Handle("GET /api/v1/outbox", h.outboxAPI)
	rt.AddNav(web.NavItem{Key: "nav.outbox", Href: "/admin/outbox", Group: web.GroupWorkAdmin, Roles: []actor.Role{actor.CentreAdmin, actor.Operator}})
}

// Prefs returns the channel chosen for every kind (SMS when never chosen).
func (s *Service) Prefs(ctx context.Context, userID int64) (map[string]string, error) {
	out := map[string]string{}
	for _, k := range Kinds {
		out[k] = SMS
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT kind, channel FROM notification_prefs WHERE user_id = $1`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k, c string
		if err := rows.Scan(&k, &c); err != nil {
			return nil, err
		}
		out[k] = c
	}
	return out, rows.Err()
}

// SetPrefs stores a channel per kind; unknown kinds or channels are refused
// and nothing is stored.
func (s *Service) SetPrefs(ctx context.Context, userID int64, choice map[string]string) error {
	for k, c := range choice {
		if !validKind(k) || (c != SMS && c != Email && c != None) {
			return errs.Field(k, "notify.pref_invalid")
		}
	}
	tx, err := s.db.Write().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for k, c := range choice {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notification_prefs (user_id, kind, channel) VALUES ($1, $2, $3)
			ON CONFLICT (user_id, kind) DO UPDATE SET channel = excluded.channel`, userID, k, c); err != nil {
			return err
		}
	}
	if err := audit.Record(ctx, tx, audit.Entry{Action: "notification_prefs.update", SubjectType: "user", SubjectID: userID}); err != nil {
		return err
	}
	return tx.Commit()
}

func validKind(k string) bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// OutboxMessage is a stored message.
type OutboxMessage struct {
	ID        int64     `json:"id"`
	Channel   string    `json:"channel"`
	Recipient string    `json:"recipient"`
	Kind      string    `json:"kind"`
	Subject   string    `json:"subject"`
	Body      string    `json:"body"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}

// Outbox lists the newest messages, optionally to one recipient. Reading it
// is reading personal data, so it is audited.
func (s *Service) Outbox(ctx context.Context, to string, limit int) ([]OutboxMessage, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT id, channel, recipient, kind, subject, body, status, created_at FROM outbox
		WHERE ($1 = '' OR recipient = $1) ORDER BY id DESC LIMIT $2`, to, limit)
	out, err := db.Collect(rows, err, func(row db.Scanner) (OutboxMessage, error) {
		var m OutboxMessage
		err := row.Scan(&m.ID, &m.Channel, &m.Recipient, &m.Kind, &m.Subject, &m.Body, &m.Status, &m.CreatedAt)
		return m, err
	})
	if err != nil {
		return nil, err
	}
	return out, audit.Record(ctx, s.db.Write(), audit.Entry{Action: "outbox.read", SubjectType: "outbox", Detail: to})
}
