package learn

import (
	"context"

	"github.com/maeul/maeul/internal/actor"
)

// MobileRequestsWaiting counts the mobile-class requests not yet answered,
// for the centre staff's home. Only a number, so it is not audited as the
// list is.
func (s *Service) MobileRequestsWaiting(ctx context.Context) (int, error) {
	if _, err := actor.Require(ctx, actor.CentreAdmin); err != nil {
		return 0, err
	}
	var n int
	err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM mobile_requests WHERE status = $1`, MobileRequested).Scan(&n)
	return n, err
}
