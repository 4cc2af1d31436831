package booking

import (
	"context"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db"
)

// ApprovalsWaiting counts the bookings waiting for staff's decision, for the
// centre staff's home. Only a number, so it is not audited as the list is.
func (s *Service) ApprovalsWaiting(ctx context.Context) (int, error) {
	if _, err := actor.Require(ctx, actor.CentreAdmin); err != nil {
		return 0, err
	}
	var n int
	err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM bookings WHERE status = 'requested' AND starts_at > $1`, db.Time(s.Now())).Scan(&n)
	return n, err
}
