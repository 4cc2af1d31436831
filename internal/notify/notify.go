package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/i18n"
)

// Channels a message can travel by; None means the person opted out.
const (
	SMS   = "sms"
	Email = "email"
	None  = "none"
)

// Kinds of message citizens can set a preference for.
var Kinds = []string{"registration", "waitlist", "reminder", "lottery", "mobile_class"}

// Contact is how to reach a person and in which language.
type Contact struct {
	Phone string
	Email string
	Lang  string
}

// ContactBook looks people up; the accounts package implements it.
type ContactBook interface {
	Contact(ctx context.Context, q db.Querier, userID int64) (Contact, error)
}

// Statuses of a message in the outbox: waiting, being handed to a driver,
// delivered, refused by the driver, or only recorded (no driver for its
// channel, as in the demo).
const (
	StatusPending  = "pending"
	StatusSending  = "sending"
	StatusSent     = "sent"
	StatusFailed   = "failed"
	StatusRecorded = "recorded"
)

// Statuses are every status a message can have; the outbox page names each
// in words (notify.status.<status>).
var Statuses = []string{StatusPending, StatusSending, StatusSent, StatusFailed, StatusRecorded}

// KindLoginCode is the kind of a sign-in code, sent whatever the
// preferences say.
const KindLoginCode = "login_code"

// SecretKinds are the kinds of message that carry a secret meant for their
// recipient alone (a sign-in code). Such a message is sent by SendDirect,
// handed to the driver at once, and never kept: the outbox holds its kind,
// recipient, subject and status, and its body with every argument masked, so
// neither staff nor a reader of the database sees the code.
var SecretKinds = []string{KindLoginCode}

// IsSecret reports whether messages of kind carry a secret.
func IsSecret(kind string) bool { return slices.Contains(SecretKinds, kind) }

// masked is what the outbox shows in place of a secret.
type masked struct{}

func (masked) Localize(l i18n.Localizer) string { return l.T("notify.masked") }

// Message is one message to a user. Subject and Body are catalogue keys,
// translated into the recipient's language: the subject with SubjectArgs,
// the body with Args — each with its own arguments only.
type Message struct {
	UserID      int64
	Kind        string
	Subject     string
	SubjectArgs []any
	Body        string
	Args        []any
}

// Render is a message as its recipient reads it, in language l.
func (m Message) Render(l i18n.Localizer) (subject, body string) {
	return l.T(m.Subject, m.SubjectArgs...), l.T(m.Body, m.Args...)
}

// Masked is m with every argument of its body masked: what the outbox keeps
// of a message that carries a secret.
func (m Message) Masked() Message {
	args := make([]any, len(m.Args))
	for i := range args {
		args[i] = masked{}
	}
	m.Args = args
	return m
}

// Driver delivers one message; a driver error leaves it marked failed.
type Driver interface {
	Deliver(ctx context.Context, channel, recipient, subject, body string) error
}

// Service enqueues and dispatches messages.
type Service struct {
	db      *db.DB
	book    ContactBook
	drivers map[string]Driver
	kick    chan struct{}
}

// New returns a Service; drivers maps SMS and Email to their drivers. A
// channel without a driver is recorded in the outbox only.
func New(d *db.DB, book ContactBook, drivers map[string]Driver) *Service {
	return &Service{db: d, book: book, drivers: drivers, kick: make(chan struct{}, 1)}
}

// Enqueue adds m to the outbox inside q (normally the caller's transaction),
// by the channel the user chose for m.Kind.
func (s *Service) Enqueue(ctx context.Context, q db.Querier, m Message) error {
	if IsSecret(m.Kind) {
		// The outbox would have to keep the secret until the dispatcher runs.
		return fmt.Errorf("notify: a %s message carries a secret: send it with SendDirect", m.Kind)
	}
	c, err := s.book.Contact(ctx, q, m.UserID)
	if err != nil {
		return err
	}
	channel, err := s.channelFor(ctx, q, m.UserID, m.Kind, c)
	if err != nil || channel == None {
		return err
	}
	recipient := c.Phone
	if channel == Email {
		recipient = c.Email
	}
	subject, body := m.Render(i18n.For(c.Lang))
	_, err = insert(ctx, q, sql.NullInt64{Int64: m.UserID, Valid: true}, channel, recipient, m.Kind, subject, body, StatusPending)
	s.Kick()
	return err
}

// SendDirect sends a message by SMS to a phone number that may not belong
// to any account yet (a sign-in code). args are the body's; the subject
// takes none. A message of a secret kind goes to the driver now, before
// SendDirect returns, and the outbox keeps it with its arguments masked;
// any other is queued for the dispatcher.
func (s *Service) SendDirect(ctx context.Context, phone, lang, kind, subjectKey, bodyKey string, args ...any) error {
	l := i18n.For(lang)
	m := Message{Kind: kind, Subject: subjectKey, Body: bodyKey, Args: args}
	subject, body := m.Render(l)
	if !IsSecret(kind) {
		_, err := insert(ctx, s.db.Write(), sql.NullInt64{}, SMS, phone, kind, subject, body, StatusPending)
		if err == nil {
			s.Kick()
		}
		return err
	}
	_, kept := m.Masked().Render(l)
	id, err := insert(ctx, s.db.Write(), sql.NullInt64{}, SMS, phone, kind, subject, kept, StatusSending)
	if err != nil {
		return err
	}
	status, errText := s.deliver(ctx, id, SMS, phone, subject, body)
	_, err = s.db.Exec(ctx, `UPDATE outbox SET status = $1, error = $2 WHERE id = $3`, status, errText, id)
	return err
}

func insert(ctx context.Context, q db.Querier, user sql.NullInt64, channel, recipient, kind, subject, body, status string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO outbox (user_id, channel, recipient, kind, subject, body, status, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, user, channel, recipient, kind, subject, body, status, db.Time(time.Now())).Scan(&id)
	return id, err
}

// deliver hands one message to its channel's driver and returns the status
// it ends in: recorded when the channel has no driver.
func (s *Service) deliver(ctx context.Context, id int64, channel, recipient, subject, body string) (status, errText string) {
	drv, ok := s.drivers[channel]
	if !ok || drv == nil {
		return StatusRecorded, ""
	}
	if err := drv.Deliver(ctx, channel, recipient, subject, body); err != nil {
		slog.Warn("notify: delivery failed", "id", id, "channel", channel, "err", err)
		return StatusFailed, err.Error()
	}
	return StatusSent, ""
}

func (s *Service) channelFor(ctx context.Context, q db.Querier, userID int64, kind string, c Contact) (string, error) {
	var ch string
	err := q.QueryRowContext(ctx, `SELECT channel FROM notification_prefs WHERE user_id = $1 AND kind = $2`, userID, kind).Scan(&ch)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		ch = SMS
		if c.Phone == "" && c.Email != "" {
			ch = Email
		}
	case err != nil:
		return "", err
	}
	if (ch == SMS && c.Phone == "") || (ch == Email && c.Email == "") {
		return None, nil
	}
	return ch, nil
}

// Kick wakes the dispatcher after a commit.
func (s *Service) Kick() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Run dispatches pending messages until ctx ends. Several instances may run
// it: each message is claimed by exactly one of them.
func (s *Service) Run(ctx context.Context) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		if n, err := s.DispatchPending(ctx); err != nil && ctx.Err() == nil {
			slog.Error("notify: dispatch", "err", err)
		} else if n > 0 {
			slog.Debug("notify: dispatched", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.kick:
		}
	}
}

// DispatchPending delivers every pending message once and returns how many
// it handled.
func (s *Service) DispatchPending(ctx context.Context) (int, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT id, channel, recipient, kind, subject, body FROM outbox WHERE status = 'pending' ORDER BY id LIMIT 500`)
	if err != nil {
		return 0, err
	}
	type pending struct {
		id                                      int64
		channel, recipient, kind, subject, body string
	}
	var ps []pending
	for rows.Next() {
		var p pending
		if err := rows.Scan(&p.id, &p.channel, &p.recipient, &p.kind, &p.subject, &p.body); err != nil {
			rows.Close()
			return 0, err
		}
		ps = append(ps, p)
	}
	rows.Close()
	n := 0
	for _, p := range ps {
		res, err := s.db.Exec(ctx, `UPDATE outbox SET status = 'sending' WHERE id = $1 AND status = 'pending'`, p.id)
		if err != nil {
			return n, err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			continue // another instance took it
		}
		status, errText := s.deliver(ctx, p.id, p.channel, p.recipient, p.subject, p.body)
		// A secret queued by an earlier version (during an upgrade) is sent
		// once and not kept.
		body := p.body
		if IsSecret(p.kind) {
			body = ""
		}
		if _, err := s.db.Exec(ctx, `UPDATE outbox SET status = $1, error = $2, body = $3 WHERE id = $4`, status, errText, body, p.id); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
