package notify

import "context"

// Failures counts the messages that could not be sent, for the staff's home.
// Only a number: reading the messages themselves is audited (Outbox).
func (s *Service) Failures(ctx context.Context) (int, error) {
	var n int
	err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE status = 'failed'`).Scan(&n)
	return n, err
}
