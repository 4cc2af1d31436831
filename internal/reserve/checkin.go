package reserve

import (
	"context"
	"database/sql"
	"time"

	"github.com/maeul/maeul/internal/i18n"
)

// CheckIn is a caller's rule for when its claims may be checked in: from
// OpensBefore the start — people arrive early, and a queue at the door
// helps nobody — until the end of the city day of the last day given.
type CheckIn struct {
	OpensBefore time.Duration
}

// Window is when a claim starting at starts takes check-ins, until the end
// of the city day on which lastDay falls.
func (c CheckIn) Window(starts, lastDay time.Time) (from, until time.Time) {
	y, m, d := lastDay.In(i18n.Zone).Date()
	return starts.Add(-c.OpensBefore), time.Date(y, m, d+1, 0, 0, 0, 0, i18n.Zone)
}

// Refusal is why a claim cannot be checked in now.
type Refusal int

const (
	CanCheckIn   Refusal = iota
	Already              // it was checked in before
	NotConfirmed         // it holds no places
	TooEarly             // the window has not opened
	Closed               // the window has closed
)

// Check says whether a claim of status, checked in at checkedIn (zero: not
// yet), may be checked in at now in the window from–until.
func Check(now, from, until time.Time, status string, checkedIn time.Time) Refusal {
	switch {
	case !checkedIn.IsZero():
		return Already
	case status != Confirmed:
		return NotConfirmed
	case now.Before(from):
		return TooEarly
	case !now.Before(until):
		return Closed
	}
	return CanCheckIn
}

// Arrive marks a confirmed claim checked in at at, unless it already is.
// The condition makes two staff scanning one ticket at once safe: only one
// UPDATE finds it not yet checked in. When Arrive did not mark it, first is
// when it was checked in before (zero: it is no longer confirmed).
func (e *Engine) Arrive(ctx context.Context, tx *sql.Tx, id int64, at time.Time) (marked bool, first time.Time, err error) {
	r, err := tx.ExecContext(ctx, e.q.arrive, at, id)
	if err != nil {
		return false, first, err
	}
	if n, err := r.RowsAffected(); err != nil || n > 0 {
		return err == nil, first, err
	}
	var prior sql.NullTime
	err = tx.QueryRowContext(ctx, e.q.arrivedAt, id).Scan(&prior)
	return false, prior.Time, err
}
