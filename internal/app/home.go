package app

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/funds"
	"github.com/maeul/maeul/internal/home"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/learn"
	"github.com/maeul/maeul/internal/places"
)

// homeOptions fills the blocks of "내 마을" and of the staff's home from the
// parts' exported APIs: app is the only package that knows them all.
func (a *App) homeOptions(users *auth.Users) home.Options {
	centre := []actor.Role{actor.CentreAdmin}
	fundsStaff := []actor.Role{actor.FundsAdmin}
	return home.Options{
		Citizen: []home.Source{
			{Fill: a.homeNextClass},
			{Fill: a.homeBookings},
			{Fill: a.homeCard},
			{Fill: a.homePoints},
			{Fill: func(ctx context.Context, ac *actor.Actor, lang string) (home.Block, bool, error) {
				return a.homeTown(ctx, users, ac, lang)
			}},
			{Fill: a.homeRequests},
		},
		Staff: []home.Source{
			{Roles: []actor.Role{actor.Tutor, actor.CentreAdmin}, Fill: a.homeTodaySessions},
			{Roles: centre, Fill: count("home.queue.mobile", "/admin/mobile-classes", a.Learn.MobileRequestsWaiting)},
			{Roles: centre, Fill: count("home.queue.approvals", "/staff/booking/approvals", func(ctx context.Context) (int, error) {
				return a.Booking.ApprovalsWaiting(ctx) // made after these options
			})},
			{Roles: centre, Fill: count("home.queue.moderation", "/admin/board/moderation", func(ctx context.Context) (int, error) {
				q, err := a.Board.Queue(ctx)
				return len(q.Waiting), err
			})},
			{Roles: []actor.Role{actor.Guide, actor.CentreAdmin}, Fill: count("home.queue.guide_requests", "/guides/requests", func(ctx context.Context) (int, error) {
				rs, err := a.Guides.Requests(ctx, false)
				n := 0
				for _, r := range rs {
					if r.TakenBy == 0 {
						n++
					}
				}
				return n, err
			})},
			{Roles: fundsStaff, Fill: count("home.queue.reviews", "/admin/applications", func(ctx context.Context) (int, error) {
				q, err := a.Funds.ReviewQueue(ctx)
				return len(q), err
			})},
			{Roles: fundsStaff, Fill: count("home.queue.merchants", "/admin/merchants", func(ctx context.Context) (int, error) {
				ms, err := a.Funds.Merchants(ctx, funds.MerchantPending)
				return len(ms), err
			})},
			{Roles: fundsStaff, Fill: count("home.queue.grievances", "/admin/grievances", func(ctx context.Context) (int, error) {
				gs, err := a.Funds.OpenGrievances(ctx)
				return len(gs), err
			})},
			{Roles: []actor.Role{actor.CentreAdmin, actor.Operator}, Fill: count("home.queue.outbox_failed", "/admin/outbox", a.Notify.Failures)},
			{Roles: []actor.Role{actor.Operator, actor.Guide, actor.CentreAdmin}, Fill: staticBlock("home.desk.acting", "/acting", "home.desk.acting_about", "nav.acting")},
			{Roles: []actor.Role{actor.Operator, actor.CentreAdmin}, Fill: staticBlock("home.desk.cards", "/admin/cards", "home.desk.cards_about", "nav.cards")},
			{Roles: []actor.Role{actor.Verifier}, Fill: staticBlock("home.desk.verify", "/verify", "home.desk.verify_about", "nav.verify")},
			{Roles: []actor.Role{actor.Guide}, Fill: staticBlock("home.desk.guide", "/guides", "home.desk.guide_about", "nav.guides")},
		},
	}
}

// count is a staff queue's block: how many wait, and the way to them.
func count(title, href string, n func(context.Context) (int, error)) func(context.Context, *actor.Actor, string) (home.Block, bool, error) {
	return func(ctx context.Context, _ *actor.Actor, _ string) (home.Block, bool, error) {
		b := home.Block{Title: title, Href: href, Counted: true, Action: &home.Link{Label: "home.open_queue", Href: href}}
		c, err := n(ctx)
		b.Count = c
		return b, true, err
	}
}

// staticBlock is a desk the role works at: what it is for and its door.
func staticBlock(title, href, about, label string) func(context.Context, *actor.Actor, string) (home.Block, bool, error) {
	return func(context.Context, *actor.Actor, string) (home.Block, bool, error) {
		return home.Block{Title: title, Href: href, Empty: about, Action: &home.Link{Label: label, Href: href}}, true, nil
	}
}

func (a *App) homeTodaySessions(ctx context.Context, _ *actor.Actor, lang string) (home.Block, bool, error) {
	b := home.Block{Title: "home.queue.sessions", Href: "/staff/sessions", Counted: true, Empty: "home.queue.sessions_none",
		Action: &home.Link{Label: "nav.staff_checkin", Href: "/staff/checkin"}}
	ss, err := a.Learn.StaffSessions(ctx)
	if err != nil {
		return b, true, err
	}
	l := i18n.For(lang)
	now := a.Learn.Now().In(i18n.Zone)
	y, m, d := now.Date()
	for _, s := range ss {
		if sy, sm, sd := s.StartsAt.In(i18n.Zone).Date(); sy != y || sm != m || sd != d {
			continue
		}
		b.Count++
		if len(b.Lines) < 4 {
			b.Lines = append(b.Lines, home.Line{Text: l.Pick(s.Course.TitleKo, s.Course.TitleEn), Href: fmt.Sprintf("/staff/sessions/%d", s.ID),
				Detail: l.Clock(s.StartsAt) + " · " + l.Pick(s.Venue.NameKo, s.Venue.NameEn) + " · " + l.T("home.seats_attended", s.Attended, s.Confirmed)})
		}
	}
	return b, true, nil
}

func (a *App) homeNextClass(ctx context.Context, _ *actor.Actor, lang string) (home.Block, bool, error) {
	b := home.Block{Title: "home.next_class", Href: "/my/registrations", Empty: "home.next_class_none",
		Action: &home.Link{Label: "nav.courses", Href: "/courses"}}
	regs, err := a.Learn.MyRegistrations(ctx)
	if err != nil {
		return b, true, err
	}
	now := a.Learn.Now()
	var next []learn.Registration
	for _, r := range regs {
		if r.Active() && r.Session.EndsAt.After(now) {
			next = append(next, r)
		}
	}
	sort.Slice(next, func(i, j int) bool { return next[i].Session.StartsAt.Before(next[j].Session.StartsAt) })
	l := i18n.For(lang)
	for i, r := range next {
		if i == 1 {
			break // the next one; the rest are a click away
		}
		// No link of its own: the block's button opens the same ticket.
		line := home.Line{Text: l.Pick(r.Session.Course.TitleKo, r.Session.Course.TitleEn),
			Detail: l.DateTime(r.Session.StartsAt) + " · " + l.Pick(r.Session.Venue.NameKo, r.Session.Venue.NameEn)}
		if r.Status != learn.Confirmed {
			line.Badge, line.Tone = l.T("status."+r.Status), "warn"
		}
		b.Lines = append(b.Lines, line)
	}
	if len(next) > 0 {
		if next[0].Status == learn.Confirmed {
			b.Action = &home.Link{Label: "home.show_ticket", Href: fmt.Sprintf("/my/registrations/%d", next[0].ID)}
		} else {
			b.Action = &home.Link{Label: "nav.my_courses", Href: "/my/registrations"}
		}
	}
	return b, true, nil
}

func (a *App) homeBookings(ctx context.Context, _ *actor.Actor, lang string) (home.Block, bool, error) {
	b := home.Block{Title: "home.bookings", Href: "/my/bookings", Empty: "home.bookings_none",
		Action: &home.Link{Label: "home.book_something", Href: "/book"}}
	bs, err := a.Booking.Mine(ctx)
	if err != nil {
		return b, true, err
	}
	now := a.Booking.Now()
	l := i18n.For(lang)
	sort.Slice(bs, func(i, j int) bool { return bs[i].StartsAt.Before(bs[j].StartsAt) })
	for _, bk := range bs {
		if !bk.Active() || !bk.EndsAt.After(now) {
			continue
		}
		if len(b.Lines) == 3 {
			break
		}
		line := home.Line{Text: bk.Resource.Name(lang), Href: fmt.Sprintf("/my/bookings/%d", bk.ID), Detail: l.DateTime(bk.StartsAt)}
		if f, err := a.Places.Facility(ctx, bk.Resource.FacilityID); err == nil {
			line.Detail += " · " + f.Name(lang)
		}
		line.Badge = l.T("booking.status." + bk.Status)
		if bk.Status != "confirmed" {
			line.Tone = "warn"
		}
		b.Lines = append(b.Lines, line)
	}
	if len(b.Lines) > 0 {
		b.Action = &home.Link{Label: "home.all_bookings", Href: "/my/bookings"}
	}
	return b, true, nil
}

// homeCard tells where the citizen stands with their card and the one next
// step from there.
func (a *App) homeCard(ctx context.Context, ac *actor.Actor, lang string) (home.Block, bool, error) {
	b := home.Block{Title: "home.card", Href: "/my/card"}
	h, err := a.holding(ctx, ac)
	state := h.state
	if err != nil {
		return b, true, err
	}
	l := i18n.For(lang)
	line := home.Line{Text: l.T("home.card_state." + state)}
	switch state {
	case identity.HoldingIssued:
		line.Badge, line.Tone = l.T("home.card_badge.issued"), "ok"
		b.Action = &home.Link{Label: "home.card_next.issued", Href: "/wallet"}
	case identity.HoldingSuspended, identity.HoldingRevoked:
		line.Badge, line.Tone = l.T("home.card_badge."+state), "err"
		b.Action = &home.Link{Label: cardNextKey(state), Href: "/my/card"}
	default:
		b.Action = &home.Link{Label: cardNextKey(state), Href: "/my/card"}
	}
	b.Lines = []home.Line{line}
	return b, true, nil
}

// holdingOf is where a citizen stands with their card and who they proved to
// be.
type holdingOf struct {
	state    string
	resident int64
}

// holding looks up the citizen's card once for the whole home: the card,
// points and requests blocks all need it.
func (a *App) holding(ctx context.Context, ac *actor.Actor) (holdingOf, error) {
	return home.Shared(ctx, "holding", func() (holdingOf, error) {
		state, resident, err := a.Cards.HoldingOf(ctx, ac.Subject().ID)
		return holdingOf{state, resident}, err
	})
}

// cardNextKey names the button of the next step from a card state.
func cardNextKey(state string) string { return "home.card_next." + state }

// homePoints lists the points per programme with the nearest expiry.
func (a *App) homePoints(ctx context.Context, ac *actor.Actor, lang string) (home.Block, bool, error) {
	b := home.Block{Title: "home.points", Href: "/points", Empty: "home.points_none",
		Action: &home.Link{Label: "home.see_benefits", Href: "/benefits"}}
	h, err := a.holding(ctx, ac)
	resident := h.resident
	if err != nil || resident == 0 {
		if resident == 0 {
			b.Empty = "home.points_need_card"
		}
		return b, true, err
	}
	accounts, err := a.Funds.Accounts(ctx, resident)
	if err != nil {
		return b, true, err
	}
	now := a.Funds.Now()
	l := i18n.For(lang)
	sort.Slice(accounts, func(i, j int) bool { return accounts[i].ExpiresAt.Before(accounts[j].ExpiresAt) })
	for _, acc := range accounts {
		if acc.Balance <= 0 || !acc.Usable(now) {
			continue
		}
		line := home.Line{Text: acc.Programme.Name(lang) + ": " + l.T("home.points_amount", l.Number(acc.Balance)),
			Detail: l.T("home.points_until", l.Date(acc.ExpiresAt.Add(-time.Second)))}
		if acc.ExpiresAt.Sub(now) <= 30*24*time.Hour {
			line.Badge, line.Tone = l.T("home.points_soon"), "warn"
		}
		b.Lines = append(b.Lines, line)
	}
	if len(b.Lines) > 0 {
		b.Action = &home.Link{Label: "nav.my_points", Href: "/points"}
	}
	return b, true, nil
}

// homeTown is the latest news and events of the zones in the citizen's
// district.
func (a *App) homeTown(ctx context.Context, users *auth.Users, ac *actor.Actor, lang string) (home.Block, bool, error) {
	b := home.Block{Title: "home.town", Href: "/board", Empty: "home.town_no_district",
		Action: &home.Link{Label: "home.choose_district", Href: "/account?next=/"}}
	u, err := users.Get(ctx, ac.Subject().ID)
	if err != nil || u.District == "" {
		return b, true, err
	}
	b.Empty, b.Action = "home.town_quiet", &home.Link{Label: "nav.board", Href: "/board"}
	zones, err := a.Places.Zones(ctx)
	if err != nil {
		return b, true, err
	}
	l := i18n.For(lang)
	type dated struct {
		at   time.Time
		line home.Line
	}
	var news []dated
	var first places.Zone
	for _, z := range zones {
		if z.District != u.District {
			continue
		}
		if first.Code == "" {
			first = z
		}
		items, err := a.Board.ZoneNews(ctx, z.Code, 2)
		if err != nil {
			return b, true, err
		}
		for _, n := range items {
			news = append(news, dated{n.PublishedAt, home.Line{Text: n.Title, Href: "/board/" + z.Code, Detail: z.Name(lang) + " · " + l.Date(n.PublishedAt)}})
		}
	}
	sort.Slice(news, func(i, j int) bool { return news[i].at.After(news[j].at) })
	for i, n := range news {
		if i == 2 {
			break
		}
		b.Lines = append(b.Lines, n.line)
	}
	if first.Code != "" {
		b.Href = "/board/" + first.Code
		b.Action = &home.Link{Label: "home.town_more", Href: "/board/" + first.Code}
		evs, err := a.Places.Events(ctx, places.EventFilter{Zone: first.Code, From: a.Places.Now(), Limit: 1})
		if err != nil {
			return b, true, err
		}
		for _, e := range evs {
			b.Lines = append(b.Lines, home.Line{Text: l.Pick(e.TitleKo, e.TitleEn), Href: fmt.Sprintf("/places/facilities/%d", e.At.ID),
				Detail: l.DateTime(e.StartsAt) + " · " + e.At.Name(lang), Badge: l.T("home.event"), Tone: "ok"})
		}
	}
	return b, true, nil
}

// homeRequests are the citizen's applications that staff still look at and
// their open grievances.
func (a *App) homeRequests(ctx context.Context, ac *actor.Actor, lang string) (home.Block, bool, error) {
	b := home.Block{Title: "home.requests", Href: "/my/grievances"}
	h, err := a.holding(ctx, ac)
	resident := h.resident
	if err != nil || resident == 0 {
		return b, false, err
	}
	l := i18n.For(lang)
	apps, err := a.Funds.ApplicationsOf(ctx, resident)
	if err != nil {
		return b, true, err
	}
	progs, err := a.Programmes.List(ctx)
	if err != nil {
		return b, true, err
	}
	names := map[int64]string{}
	for _, p := range progs {
		names[p.ID] = p.Name(lang)
	}
	for _, app := range apps {
		switch app.Status {
		case funds.Review, funds.Appealed, funds.AwaitingPay, funds.Waiting:
			b.Lines = append(b.Lines, home.Line{Text: names[app.ProgrammeID], Href: funds.ApplicationPath(app.ID),
				Badge: l.T("funds.citizen.status." + app.Status), Tone: "warn"})
		}
	}
	gs, err := a.Funds.Grievances(ctx, funds.AsCitizen(ac.Subject().ID, resident))
	if err != nil {
		return b, true, err
	}
	for _, g := range gs {
		if !g.ClosedAt.IsZero() {
			continue
		}
		b.Lines = append(b.Lines, home.Line{Text: l.T("home.grievance", l.Pick(g.ProgrammeKo, g.ProgrammeEn)), Href: "/my/grievances",
			Detail: l.Date(g.CreatedAt), Badge: l.T("home.grievance_open"), Tone: "warn"})
	}
	sort.SliceStable(b.Lines, func(i, j int) bool { return b.Lines[i].Text < b.Lines[j].Text })
	return b, len(b.Lines) > 0, nil
}
