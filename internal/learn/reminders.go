package learn

import (
	"context"
	"database/sql"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/i18n"
)

// SendReminders reminds everyone with a confirmed seat the day before their
// session (any session starting tomorrow, city time). Each session is
// claimed once, so several instances never send twice.
func (s *Service) SendReminders(ctx context.Context) (int, error) {
	now := s.Now().In(i18n.Zone)
	tomorrow := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, i18n.Zone)
	ids, err := s.sessionIDs(ctx, `SELECT id FROM class_sessions WHERE status = 'scheduled' AND reminded_at IS NULL
		AND starts_at >= $1 AND starts_at < $2`, db.Time(tomorrow), db.Time(tomorrow.AddDate(0, 0, 1)))
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, id := range ids {
		err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE class_sessions SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL`, db.Time(s.Now()), id)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil
			}
			regs, err := queue(ctx, tx, id, Confirmed)
			if err != nil {
				return err
			}
			for _, r := range regs {
				r.Status = "reminder"
				if err := s.notifyStatus(ctx, tx, r); err != nil {
					return err
				}
				sent++
			}
			return nil
		})
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}
