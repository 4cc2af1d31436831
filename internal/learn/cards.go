package learn

import (
	"net/http"
	"strconv"
	"time"

	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/web"
)

// card is a session as a catalogue card shows it, formatted in Go: the
// catalogue is the busiest page, and template calls cost far more than
// field reads.
type card struct {
	URL, Title, Theme, Level, Date, Time, Venue string
	Badge, BadgeClass                           string
}

func cards(r *http.Request, now time.Time, ss []Session) []card {
	l := i18n.For(web.PrefsFrom(r.Context()).Lang)
	out := make([]card, len(ss))
	for i, s := range ss {
		out[i] = card{
			URL:   "/sessions/" + strconv.FormatInt(s.ID, 10),
			Title: l.Pick(s.Course.TitleKo, s.Course.TitleEn),
			Theme: l.T("theme." + s.Course.Theme),
			Level: l.T("level." + s.Course.Level),
			Date:  l.Date(s.StartsAt),
			Time:  l.Clock(s.StartsAt) + " – " + l.Clock(s.EndsAt),
			Venue: l.Pick(s.Venue.NameKo, s.Venue.NameEn),
		}
		out[i].Badge, out[i].BadgeClass = seatBadge(l, s, now)
	}
	return out
}

// seatBadge says whether a seat can be had, and how.
func seatBadge(l i18n.Localizer, s Session, now time.Time) (string, string) {
	switch {
	case s.LotteryOpen(now):
		return l.T("learn.lottery_badge", l.DateTime(s.LotteryClosesAt)), "warn"
	case s.SeatsLeft() > 0:
		return l.T("learn.seats_left", s.SeatsLeft()), "ok"
	default:
		return l.T("learn.full_waitlist"), "warn"
	}
}
