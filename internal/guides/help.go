package guides

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// Topics of help, on site and asked for.
var Topics = []string{"kiosk", "smartphone", "app", "payment", "mobile_id", "other"}

// Outcomes of help given on site.
const (
	Solved   = "solved"
	Referred = "referred" // sent to a course of the learning centre
)

// Outcomes lists them in the order the form shows them.
var Outcomes = []string{Solved, Referred}

// MaxMinutes bounds one help entry: past four hours it is a class.
const MaxMinutes = 240

// MaxNote bounds a note, which is a reminder, not a record of the person.
const MaxNote = 200

// Help is help given on site.
type Help struct {
	ID        int64
	GuideID   int64
	HotspotID int64
	Topic     string
	Minutes   int
	Outcome   string
	Note      string
	At        time.Time
}

func (h *Help) validate() error {
	h.Note = strings.TrimSpace(h.Note)
	switch {
	case h.HotspotID <= 0:
		return errs.Field("hotspot", "guides.hotspot_required")
	case !oneOf(h.Topic, Topics):
		return errs.Field("topic", "guides.topic_required")
	case h.Minutes < 1 || h.Minutes > MaxMinutes:
		return errs.Field("minutes", "guides.minutes_range", 1, MaxMinutes)
	case !oneOf(h.Outcome, Outcomes):
		return errs.Field("outcome", "guides.outcome_required")
	case utf8.RuneCountInString(h.Note) > MaxNote:
		return errs.Field("note", "guides.note_too_long", MaxNote)
	case looksPersonal(h.Note):
		return errs.Field("note", "guides.note_personal")
	}
	return nil
}

// looksPersonal catches the personal data a hurried note is most likely
// to hold: a phone number or a resident registration number, as runs of
// digits.
func looksPersonal(s string) bool {
	run := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			run++
			if run >= 7 {
				return true
			}
		case r == '-' || r == ' ' || r == '.':
		default:
			run = 0
		}
	}
	return false
}

// LogHelp records help the signed-in guide gave, and counts the visit on
// the spot's row.
func (s *Service) LogHelp(ctx context.Context, h Help) (Help, error) {
	a, err := actor.Require(ctx, actor.Guide)
	if err != nil {
		return Help{}, err
	}
	if err := h.validate(); err != nil {
		return Help{}, err
	}
	h.GuideID, h.At = a.ID, db.Time(s.Now())
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := visit(ctx, tx, h.GuideID, h.HotspotID, h.At, 1); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO guide_help (guide_id, hotspot_id, topic, minutes, outcome, note, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, h.GuideID, h.HotspotID, h.Topic, h.Minutes, h.Outcome, h.Note, h.At).Scan(&h.ID)
	})
	if err != nil {
		return Help{}, err
	}
	return h, nil
}

// visit counts a guide's visit to a spot at a time, with helps more
// helps given. The counter moves in one conditional statement on the
// spot's row, so two guides logging at once both count.
func visit(ctx context.Context, tx *sql.Tx, guideID, hotspotID int64, at time.Time, helps int) error {
	var active bool
	if err := tx.QueryRowContext(ctx, `SELECT active FROM guide_guides WHERE user_id = $1`, guideID).Scan(&active); err != nil || !active {
		if err == nil || errors.Is(err, sql.ErrNoRows) {
			return errs.New(errs.Forbidden, "guides.not_a_guide")
		}
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE guide_hotspots SET help_count = help_count + $3,
		last_visit_at = CASE WHEN last_visit_at IS NULL OR last_visit_at < $2 THEN $2 ELSE last_visit_at END WHERE id = $1`, hotspotID, at, helps)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.Field("hotspot", "guides.hotspot_not_found")
	}
	return nil
}

// CheckIn records that the signed-in guide was at a spot and nobody
// needed help, so that the spot counts as visited.
func (s *Service) CheckIn(ctx context.Context, hotspotID int64) error {
	a, err := actor.Require(ctx, actor.Guide)
	if err != nil {
		return err
	}
	if hotspotID <= 0 {
		return errs.Field("hotspot", "guides.hotspot_required")
	}
	at := db.Time(s.Now())
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := visit(ctx, tx, a.ID, hotspotID, at, 0); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO guide_checkins (guide_id, hotspot_id, at) VALUES ($1, $2, $3)`, a.ID, hotspotID, at)
		return err
	})
}

// MyHelp lists the signed-in guide's entries since a time, newest first.
func (s *Service) MyHelp(ctx context.Context, since time.Time) ([]Help, error) {
	a, err := actor.Require(ctx, actor.Guide)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT id, guide_id, hotspot_id, topic, minutes, outcome, note, at FROM guide_help
		WHERE guide_id = $1 AND at >= $2 ORDER BY at DESC, id DESC`, a.ID, db.Time(since))
	return db.Collect(rows, err, func(r db.Scanner) (Help, error) {
		var h Help
		err := r.Scan(&h.ID, &h.GuideID, &h.HotspotID, &h.Topic, &h.Minutes, &h.Outcome, &h.Note, &h.At)
		return h, err
	})
}
