package notify

import (
	"context"
	"embed"
	"net/http"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Register adds the preference page, the outbox page and their API.
func Register(rt *web.Router, s *Service) {
	views := web.MustViews(templateFS)
	rt.Handle("GET /account/notifications", func(w http.ResponseWriter, r *http.Request) error {
		a := actor.From(r.Context())
		if a == nil {
			return errs.New(errs.Unauthorized, "error.unauthorized")
		}
		prefs, err := s.Prefs(r.Context(), a.Subject().ID)
		if err != nil {
			return err
		}
		return views.Render(w, r, http.StatusOK, "prefs", map[string]any{"Prefs": prefs, "Kinds": Kinds})
	})
	rt.Handle("POST /account/notifications", func(w http.ResponseWriter, r *http.Request) error {
		a := actor.From(r.Context())
		if a == nil {
			return errs.New(errs.Unauthorized, "error.unauthorized")
		}
		choice := map[string]string{}
		for _, k := range Kinds {
			choice[k] = r.PostFormValue(k)
		}
		if err := s.SetPrefs(r.Context(), a.Subject().ID, choice); err != nil {
			return err
		}
		return web.Redirect(w, r, "/account/notifications", "notify.prefs_saved")
	})
	rt.Handle("GET /admin/outbox", func(w http.ResponseWriter, r *http.Request) error {
		if !actor.From(r.Context()).Is(actor.CentreAdmin, actor.Operator) {
			return forbiddenOrLogin(r)
		}
		msgs, err := s.Outbox(r.Context(), r.URL.Query().Get("to"), 200)
		if err != nil {
			return err
		}
		return views.Render(w, r, http.StatusOK, "outbox", map[string]any{"Messages": msgs, "To": r.URL.Query().Get("to")})
	})
	rt.Handle("GET /api/v1/outbox", func(w http.ResponseWriter, r *http.Request) error {
		if !actor.From(r.Context()).Is(actor.CentreAdmin, actor.Operator) {
			return forbiddenOrLogin(r)
		}
		msgs, err := s.Outbox(r.Context(), r.URL.Query().Get("to"), 200)
		if err != nil {
			return err
		}
		return web.JSON(w, http.StatusOK, map[string]any{"messages": msgs})
	})
	rt.Handle("GET /api/v1/me/notifications", func(w http.ResponseWriter, r *http.Request) error {
		a := actor.From(r.Context())
		if a == nil {
			return errs.New(errs.Unauthorized, "error.unauthorized")
		}
		prefs, err := s.Prefs(r.Context(), a.Subject().ID)
		if err != nil {
			return err
		}
		return web.JSON(w, http.StatusOK, map[string]any{"preferences": prefs})
	})
	rt.Handle("POST /api/v1/me/notifications", func(w http.ResponseWriter, r *http.Request) error {
		a := actor.From(r.Context())
		if a == nil {
			return errs.New(errs.Unauthorized, "error.unauthorized")
		}
		var in map[string]string
		if err := web.DecodeJSON(w, r, &in); err != nil {
			return err
		}
		if err := s.SetPrefs(r.Context(), a.Subject().ID, in); err != nil {
			return err
		}
		prefs, err := s.Prefs(r.Context(), a.Subject().ID)
		if err != nil {
			return err
		}
		return web.JSON(w, http.StatusOK, map[string]any{"preferences": prefs})
	})
	rt.AddNav(web.NavItem{Key: "nav.outbox", Href: "/admin/outbox", Group: web.GroupWorkAdmin, Roles: []actor.Role{actor.CentreAdmin, actor.Operator}})
}

func forbiddenOrLogin(r *http.Request) error {
	if actor.From(r.Context()) == nil {
		return errs.New(errs.Unauthorized, "error.unauthorized")
	}
	return errs.New(errs.Forbidden, "error.forbidden")
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
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutboxMessage
	for rows.Next() {
		var m OutboxMessage
		if err := rows.Scan(&m.ID, &m.Channel, &m.Recipient, &m.Kind, &m.Subject, &m.Body, &m.Status, &m.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, audit.Record(ctx, s.db.Write(), audit.Entry{Action: "outbox.read", SubjectType: "outbox", Detail: to})
}
