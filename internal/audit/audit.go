package audit

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db"
)

// Execer is a transaction or a pool.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Entry is one audited action. Detail must not hold personal data itself:
// name the record, not its contents.
type Entry struct {
	Action      string // e.g. "registration.create", "user.read"
	SubjectType string // e.g. "user", "registration"
	SubjectID   int64
	Detail      string
}

// Record appends e, attributed to the actor in ctx (none for system jobs).
func Record(ctx context.Context, x Execer, e Entry) error {
	var actorID, onBehalf sql.NullInt64
	channel := ""
	if a := actor.From(ctx); a != nil {
		actorID = sql.NullInt64{Int64: a.ID, Valid: true}
		channel = a.Channel
		if a.ActingFor != nil {
			onBehalf = sql.NullInt64{Int64: a.ActingFor.ID, Valid: true}
		}
	}
	_, err := x.ExecContext(ctx, `INSERT INTO audit_log (at, actor_id, on_behalf_of, channel, action, subject_type, subject_id, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		db.Time(time.Now()), actorID, onBehalf, channel, e.Action, e.SubjectType, strconv.FormatInt(e.SubjectID, 10), e.Detail)
	return err
}

// Row is a stored entry, for the audit page.
type Row struct {
	ID          int64     `json:"id"`
	At          time.Time `json:"at"`
	ActorID     int64     `json:"actor_id"`
	OnBehalfOf  int64     `json:"on_behalf_of,omitempty"`
	Channel     string    `json:"channel"`
	Action      string    `json:"action"`
	SubjectType string    `json:"subject_type"`
	SubjectID   string    `json:"subject_id"`
	Detail      string    `json:"detail,omitempty"`
}

// Filter narrows a listing; zero values match everything.
type Filter struct {
	ActorID     int64
	SubjectType string
	SubjectID   string
	Limit       int
}

// List returns the newest entries first.
func List(ctx context.Context, d *db.DB, f Filter) ([]Row, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	rows, err := d.Read().QueryContext(ctx, `SELECT id, at, COALESCE(actor_id, 0), COALESCE(on_behalf_of, 0), channel, action, subject_type, subject_id, detail
		FROM audit_log
		WHERE ($1 = 0 OR actor_id = $1) AND ($2 = '' OR subject_type = $2) AND ($3 = '' OR subject_id = $3)
		ORDER BY id DESC LIMIT $4`, f.ActorID, f.SubjectType, f.SubjectID, f.Limit)
	return db.Collect(rows, err, func(s db.Scanner) (Row, error) {
		var r Row
		err := s.Scan(&r.ID, &r.At, &r.ActorID, &r.OnBehalfOf, &r.Channel, &r.Action, &r.SubjectType, &r.SubjectID, &r.Detail)
		return r, err
	})
}

// SubjectTypes are the kinds of record the log names, for the audit page's
// filter (the index on subject_type answers it).
func SubjectTypes(ctx context.Context, d *db.DB) ([]string, error) {
	return db.Column[string](d.Read().QueryContext(ctx, `SELECT DISTINCT subject_type FROM audit_log ORDER BY subject_type`))
}
