package learn

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
)

// statsPerson creates a citizen with the given profile and a signed-in context.
func statsPerson(t *testing.T, f *fixture, phone, district string, birthYear int, disability bool) context.Context {
	t.Helper()
	u, err := f.users.Create(context.Background(), auth.NewUser{Role: actor.Citizen, Name: phone, Phone: phone, District: district,
		BirthYear: birthYear, Disability: disability})
	if err != nil {
		t.Fatal(err)
	}
	return actor.With(context.Background(), &actor.Actor{Person: actor.Person{ID: u.ID, Name: u.Name, Role: actor.Citizen}, Channel: actor.Online})
}

func statsSession(t *testing.T, f *fixture, code string, course Course, venue Venue, starts time.Time) Session {
	t.Helper()
	s, err := f.svc.ScheduleSession(context.Background(), NewSession{Code: code, CourseID: course.ID, VenueID: venue.ID,
		StartsAt: starts, EndsAt: starts.Add(2 * time.Hour), Capacity: 10})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func statsRegister(t *testing.T, f *fixture, ctx context.Context, s Session, req Request, attended bool) Registration {
	t.Helper()
	req.SessionID = s.ID
	r, err := f.svc.Register(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if attended {
		if _, err := f.db.Exec(context.Background(), `UPDATE registrations SET attended_at = $1 WHERE id = $2`, db.Time(s.StartsAt), r.ID); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func rowOf(t *testing.T, st Stats, by, key string) StatsRow {
	t.Helper()
	for _, r := range st.By[by] {
		if r.Key == key {
			return r
		}
	}
	t.Fatalf("no %s row %q in %+v", by, key, st.By[by])
	return StatsRow{}
}

func TestStatisticsCountKnownRegistrations(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d) // now: 2026-12-01 10:00 in Busan
		ctx := context.Background()
		admin := f.staff(t, actor.CentreAdmin, "admin1")
		fraud, err := f.svc.SaveCourse(ctx, Course{Code: "FRAUD-1", Theme: "fraud", Level: "beginner", TitleKo: "보이스피싱 예방", SessionsToComplete: 1})
		if err != nil {
			t.Fatal(err)
		}
		haeundae, err := f.svc.SaveVenue(ctx, Venue{Slug: "haeundae-room", Kind: "district_centre", District: "21090", NameKo: "해운대 교육장"})
		if err != nil {
			t.Fatal(err)
		}
		kst := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 14, 0, 0, 0, i18n.Zone) }
		dec := statsSession(t, f, "ST-DEC", f.course, f.venue, kst(2026, 12, 10)) // everyday, Busanjin
		jan := statsSession(t, f, "ST-JAN", fraud, haeundae, kst(2027, 1, 15))    // fraud, Haeundae
		gone := statsSession(t, f, "ST-GONE", fraud, haeundae, kst(2027, 1, 20))  // cancelled
		mar := statsSession(t, f, "ST-MAR", f.course, f.venue, kst(2027, 3, 1))   // not yet held
		statsSession(t, f, "ST-EMPTY", f.course, f.venue, kst(2026, 12, 31))      // held, nobody came

		u1 := statsPerson(t, f, "010-5000-0001", "21050", 1950, true)  // 75_plus, disabled
		u2 := statsPerson(t, f, "010-5000-0002", "21090", 1980, false) // 40s
		u3 := statsPerson(t, f, "010-5000-0003", "", 0, false)         // unknown
		u4 := statsPerson(t, f, "010-5000-0004", "21050", 1970, false)
		u5 := statsPerson(t, f, "010-5000-0005", "21050", 1960, false) // 65_74
		u6 := statsPerson(t, f, "010-5000-0006", "21090", 1990, false) // under_40, a group

		statsRegister(t, f, u1, dec, Request{}, true)
		statsRegister(t, f, u1, jan, Request{}, true)
		statsRegister(t, f, u2, dec, Request{}, false)
		r3 := statsRegister(t, f, u3, jan, Request{}, false)
		if _, err := f.svc.Cancel(u3, r3.ID); err != nil {
			t.Fatal(err)
		}
		statsRegister(t, f, u4, gone, Request{}, false)
		if err := f.svc.CancelSession(ctx, gone.ID); err != nil {
			t.Fatal(err)
		}
		statsRegister(t, f, u5, mar, Request{}, false)
		statsRegister(t, f, u6, jan, Request{Seats: 5, GroupName: "해운대 복지관", GroupContact: "051-000-0000"}, false)

		f.now = kst(2027, 2, 10)
		filter := StatsFilter{From: kst(2026, 12, 1), To: kst(2027, 3, 1)}
		if _, err := f.svc.Statistics(f.citizens(t, 1)[0], filter); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("citizen reads statistics: %v", err)
		}
		st, err := f.svc.Statistics(admin, filter)
		if err != nil {
			t.Fatal(err)
		}
		want := StatsRow{Learners: 4, Attendances: 2, Seats: 9, Sessions: 3}
		if got := st.Total; got != want {
			t.Errorf("total = %+v, want %+v", got, want)
		}
		checks := []struct {
			by, key string
			want    StatsRow
		}{
			{"district", "21050", StatsRow{Key: "21050", Learners: 2, Attendances: 2, Seats: 3, Sessions: 2}},
			{"district", "21090", StatsRow{Key: "21090", Learners: 2, Attendances: 0, Seats: 6, Sessions: 1}},
			{"district", "21010", StatsRow{Key: "21010"}},
			{"age_group", "75_plus", StatsRow{Key: "75_plus", Learners: 1, Attendances: 2, Seats: 2}},
			{"age_group", "40s", StatsRow{Key: "40s", Learners: 1, Seats: 1}},
			{"age_group", "65_74", StatsRow{Key: "65_74", Learners: 1, Seats: 1}},
			{"age_group", "under_40", StatsRow{Key: "under_40", Learners: 1, Seats: 5}},
			{"age_group", "unknown", StatsRow{Key: "unknown"}},
			{"disability", "yes", StatsRow{Key: "yes", Learners: 1, Attendances: 2, Seats: 2}},
			{"disability", "no", StatsRow{Key: "no", Learners: 3, Seats: 7}},
			{"theme", "everyday", StatsRow{Key: "everyday", Learners: 3, Attendances: 1, Seats: 3, Sessions: 2}},
			{"theme", "fraud", StatsRow{Key: "fraud", Learners: 2, Attendances: 1, Seats: 6, Sessions: 1}},
			{"month", "2026-12", StatsRow{Key: "2026-12", Learners: 2, Attendances: 1, Seats: 2, Sessions: 2}},
			{"month", "2027-01", StatsRow{Key: "2027-01", Learners: 2, Attendances: 1, Seats: 6, Sessions: 1}},
			{"month", "2027-02", StatsRow{Key: "2027-02"}},
			{"month", "2027-03", StatsRow{Key: "2027-03", Learners: 1, Seats: 1}},
		}
		for _, c := range checks {
			if got := rowOf(t, st, c.by, c.key); got != c.want {
				t.Errorf("%s %s = %+v, want %+v", c.by, c.key, got, c.want)
			}
		}
		if n := len(st.By["district"]); n != 16 {
			t.Errorf("%d district rows, want all 16", n)
		}
		if n := len(st.By["month"]); n != 4 {
			t.Errorf("%d month rows, want 4", n)
		}

		// A theme filter narrows everything.
		filter.Theme = "fraud"
		st, err = f.svc.Statistics(admin, filter)
		if err != nil {
			t.Fatal(err)
		}
		if want := (StatsRow{Learners: 2, Attendances: 1, Seats: 6, Sessions: 1}); st.Total != want {
			t.Errorf("fraud total = %+v, want %+v", st.Total, want)
		}

		// The page, the CSV and the API agree with the numbers.
		do := adminTestServer(t, f)
		w := do(admin, "GET", "/admin/stats?from=2026-12&to=2027-03", nil)
		body := w.Body.String()
		if w.Code != 200 || !strings.Contains(body, "<caption>") || !strings.Contains(body, `scope="row"`) || !strings.Contains(body, "<svg") {
			t.Fatalf("stats page: %d", w.Code)
		}
		w = do(admin, "GET", "/admin/stats.csv?by=district&from=2026-12&to=2027-03", nil)
		if w.Code != 200 || !strings.HasPrefix(w.Body.String(), "\ufeff") || !strings.Contains(w.Header().Get("Content-Disposition"), "attachment") {
			t.Fatalf("csv: %d %q", w.Code, w.Header().Get("Content-Disposition"))
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(w.Body.String(), "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if recs[0][0] != "구·군" || recs[0][2] != "학습자 수" {
			t.Errorf("csv header %q", recs[0])
		}
		found := false
		for _, r := range recs {
			if r[1] == "21050" {
				found = true
				if r[0] != "부산진구" || r[2] != "2" || r[3] != "2" || r[5] != "2" {
					t.Errorf("csv row %q", r)
				}
			}
		}
		if !found {
			t.Error("csv lacks Busanjin-gu")
		}
		if w := do(admin, "GET", "/admin/stats.csv?by=shoe_size", nil); w.Code != 422 {
			t.Errorf("unknown breakdown: %d", w.Code)
		}
		w = do(admin, "GET", "/api/v1/stats?from=2026-12&to=2027-03", nil)
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"learners":4`) || !strings.Contains(w.Body.String(), `"sessions_held":3`) {
			t.Errorf("api: %d %s", w.Code, w.Body.String())
		}
	})
}

func TestStatsFilterDefaults(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 31, 20, 0, 0, 0, time.UTC) // 1 June in Busan
	var f StatsFilter
	f.normalize(now)
	if got := f.Months(); len(got) != 12 || got[0] != "2025-07" || got[11] != "2026-06" {
		t.Errorf("default months %v", got)
	}
	f = StatsFilter{From: time.Date(2026, 3, 1, 0, 0, 0, 0, i18n.Zone), To: time.Date(2026, 1, 1, 0, 0, 0, 0, i18n.Zone), Theme: "nonsense"}
	f.normalize(now)
	if got := f.Months(); len(got) != 3 || got[0] != "2026-01" || f.Theme != "" {
		t.Errorf("swapped months %v theme %q", got, f.Theme)
	}
}
