package guides

import (
	"context"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
)

func TestRequests(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		hs := f.hotspots(threeSpots)
		kim, lee := f.guide("김안내", "Z1"), f.guide("이안내", "Z2")
		anon := context.Background()
		call, err := f.svc.Ask(anon, RequestInput{Kind: Callback, Topic: "smartphone", Phone: "010-2345-6789", Day: "ignored", HotspotID: hs["stn"].ID})
		if err != nil || call.Phone != "+821023456789" || call.HotspotID != 0 || call.WantedDay != "" {
			t.Fatalf("call back keeps only the phone: %+v %v", call, err)
		}
		_, err = f.svc.Ask(anon, RequestInput{Kind: Callback, Topic: "kiosk", Phone: "01023456789"})
		wantErr(t, "asking twice", err, errs.Conflict, "guides.already_asked")
		visit, err := f.svc.Ask(anon, RequestInput{Kind: VisitAt, Topic: "kiosk", Phone: "010-2345-6789", HotspotID: hs["mkt"].ID, Day: "2026-12-09", Hour: 10})
		if err != nil || visit.Phone != "" {
			t.Fatalf("a visit keeps no phone: %+v %v", visit, err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM guide_requests WHERE phone <> ''`); n != 1 {
			t.Errorf("%d stored phones", n)
		}
		for name, in := range map[string]RequestInput{
			"phone":    {Kind: Callback, Topic: "app", Phone: "12"},
			"topic":    {Kind: Callback, Topic: "", Phone: "010-2345-6789"},
			"kind":     {Kind: "letter", Topic: "app"},
			"past":     {Kind: VisitAt, Topic: "app", HotspotID: hs["mkt"].ID, Day: "2026-12-01", Hour: 10},
			"night":    {Kind: VisitAt, Topic: "app", HotspotID: hs["mkt"].ID, Day: "2026-12-09", Hour: 23},
			"no spot":  {Kind: VisitAt, Topic: "app", HotspotID: 999, Day: "2026-12-09", Hour: 10},
			"bad date": {Kind: VisitAt, Topic: "app", HotspotID: hs["mkt"].ID, Day: "next week", Hour: 10},
		} {
			if _, err := f.svc.Ask(anon, in); errs.CodeOf(err) != errs.Invalid {
				t.Errorf("%s: %v", name, err)
			}
		}

		list, err := f.svc.Requests(kim, false)
		if err != nil || len(list) != 2 {
			t.Fatalf("list: %+v %v", list, err)
		}
		for _, r := range list {
			if r.Phone != "" {
				t.Error("the list shows a phone number")
			}
		}
		if _, err := f.svc.Requests(anon, false); errs.CodeOf(err) != errs.Unauthorized {
			t.Errorf("anonymous list: %v", err)
		}
		_, err = f.svc.RequestPhone(kim, call.ID)
		wantErr(t, "phone before taking", err, errs.Forbidden, "guides.take_first")

		// Two guides take it at once: one gets it.
		taken := together(2, func(i int) error { return f.svc.Take([]context.Context{kim, lee}[i], call.ID) })
		if (taken[0] == nil) == (taken[1] == nil) {
			t.Fatalf("take: %v", taken)
		}
		taker, other := kim, lee
		if taken[0] != nil {
			taker, other = lee, kim
		}
		_, err = f.svc.RequestPhone(other, call.ID)
		wantErr(t, "another guide's phone", err, errs.Forbidden, "guides.take_first")
		before := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'guide_request.phone_read'`)
		r, err := f.svc.RequestPhone(taker, call.ID)
		if err != nil || r.Phone != "+821023456789" {
			t.Fatalf("phone: %+v %v", r, err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'guide_request.phone_read' AND actor_id = $1`, idOf(taker)); n != before+1 {
			t.Errorf("the reading was not audited: %d", n)
		}
		wantErr(t, "close another's", f.svc.CloseRequest(other, call.ID), errs.Forbidden, "guides.take_first")
		if err := f.svc.CloseRequest(taker, call.ID); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM guide_requests WHERE phone <> ''`); n != 0 {
			t.Error("a closed request kept its phone")
		}
		wantErr(t, "close twice", f.svc.CloseRequest(taker, call.ID), errs.Conflict, "guides.already_closed")
		if err := f.svc.CloseRequest(f.admin, visit.ID); err != nil {
			t.Errorf("a coordinator closes an untaken request: %v", err)
		}
		open, _ := f.svc.Requests(kim, false)
		all, _ := f.svc.Requests(kim, true)
		if len(open) != 0 || len(all) != 2 || !strings.Contains(all[0].Status+all[1].Status, Closed) {
			t.Errorf("open %d, with the recently closed %d", len(open), len(all))
		}
	})
}
