package booking

import (
	"context"
	"database/sql"
	"time"

	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/notify"
)

// tell puts a message to the booking's holder in the outbox, in the same
// transaction as the change it reports. Message kinds are the ones
// citizens already set preferences for.
func (s *Service) tell(ctx context.Context, tx *sql.Tx, b Booking, res Resource, key string, extra ...any) error {
	if s.notify == nil {
		return nil
	}
	kind := "registration"
	switch key {
	case "booking.msg_promoted":
		kind = "waitlist"
	case "booking.msg_won", "booking.msg_not_won":
		kind = "lottery"
	}
	args := append([]any{slotLabel{ko: res.NameKo, en: res.NameEn, at: b.StartsAt}}, extra...)
	return s.notify.Enqueue(ctx, tx, notify.Message{UserID: b.UserID, Kind: kind, Subject: "booking.msg_subject", Body: key, Args: args})
}

// slotLabel names a booked slot in a message, in the reader's language.
type slotLabel struct {
	ko, en string
	at     time.Time
}

func (l slotLabel) Localize(loc i18n.Localizer) string {
	return loc.Pick(l.ko, l.en) + " · " + loc.DateTime(l.at)
}
