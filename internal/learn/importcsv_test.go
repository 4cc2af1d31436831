package learn

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
)

func importFixture(t testing.TB, name string) *ImportFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseImport(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return f
}

// problemSet renders problems as "line:column:key" for comparison.
func problemSet(t *testing.T, err error) []string {
	t.Helper()
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want an *ImportError", err)
	}
	var out []string
	for _, p := range ie.Problems {
		out = append(out, fmt.Sprintf("%d:%s:%s", p.Line, p.Column, p.Key))
	}
	return out
}

func sameProblems(t *testing.T, name string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s: problems\n  %s\nwant\n  %s", name, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestParseImport(t *testing.T) {
	t.Parallel()
	courses := importFixture(t, "courses_good.csv")
	if courses.Kind != ImportCourses || len(courses.Courses) != 2 {
		t.Fatalf("courses: %+v", courses)
	}
	ai := courses.Courses[0]
	if ai.Line != 2 || ai.Code != "AI-101" || ai.SessionsToComplete != 2 || ai.SummaryEn != "Ask, check,\nand use it safely." {
		t.Errorf("first course %+v", ai)
	}
	if courses.Courses[1].Line != 4 || courses.Courses[1].TitleEn != "Preventing voice phishing" {
		t.Errorf("a quoted line break must not shift line numbers: %+v", courses.Courses[1])
	}

	sessions := importFixture(t, "sessions_good.csv")
	if sessions.Kind != ImportSessions || len(sessions.Sessions) != 3 {
		t.Fatalf("sessions: %+v", sessions)
	}
	b := sessions.Sessions[1]
	if want := time.Date(2027, 1, 19, 9, 30, 0, 0, i18n.Zone); !b.StartsAt.Equal(want) || b.Allocation != FirstCome {
		t.Errorf("2027/1/19 9:30 parsed as %v %s", b.StartsAt, b.Allocation)
	}
	if l := sessions.Sessions[2]; l.Allocation != Lottery || !l.LotteryClosesAt.Equal(time.Date(2027, 1, 20, 18, 0, 0, 0, i18n.Zone)) {
		t.Errorf("lottery row %+v", l)
	}

	bad, _ := os.ReadFile(filepath.Join("testdata", "sessions_bad.csv"))
	_, err := ParseImport(bytes.NewReader(bad))
	sameProblems(t, "sessions_bad.csv", problemSet(t, err), []string{
		"2:date:import.date_invalid",
		"3:end:learn.end_before_start",
		"4:code:import.code_invalid",
		"4:capacity:import.number_range",
		"5:course_code:import.value_required",
		"5:lottery_closes:import.lottery_closes_invalid",
		"6:lottery_closes:import.lottery_closes_unused",
		"7:code:import.duplicate_code",
	})
	var e *errs.Error
	if !errors.As(err, &e) || e.Code != errs.Invalid || e.Key != "sheet.has_problems" {
		t.Errorf("an ImportError is an errs.Invalid: %v", e)
	}

	cases := []struct {
		name, data string
		want       []string
	}{
		{"unknown column", "code,theme,level,title_ko,titel_en\nA,ai,beginner,제목,\n", []string{"1:titel_en:sheet.unknown_column"}},
		{"missing column", "code,theme,title_ko\nA,ai,제목\n", []string{"1:level:sheet.missing_column"}},
		{"semicolons", "code;theme;level;title_ko\nX;ai;beginner;제목\n", []string{"1::import.unknown_kind"}},
		{"empty", "", []string{"0::sheet.empty"}},
		{"header only", "\ufeffcode,theme,level,title_ko\r\n,,,\r\n", []string{"0::sheet.no_rows"}},
		{"not utf-8", "code,theme,level,title_ko\nA,ai,beginner,\xc1\xa6\xb8\xf1\n", []string{"2::sheet.not_utf8"}},
		{"broken quote", "code,theme,level,title_ko\nA,ai,beginner,\"제목\nB,ai,beginner,x\n", []string{"2::sheet.broken"}},
		{"bad values", "code,theme,level,title_ko,sessions_to_complete\nA,cooking,expert,,99\n",
			[]string{"2:theme:import.one_of", "2:level:import.one_of", "2:title_ko:import.text_required", "2:sessions_to_complete:import.number_range"}},
	}
	for _, c := range cases {
		_, err := ParseImport(strings.NewReader(c.data))
		sameProblems(t, c.name, problemSet(t, err), c.want)
	}
	// Every message has Korean and English text, whatever its arguments.
	for _, l := range i18n.Langs {
		var ie *ImportError
		errors.As(err, &ie)
		for _, p := range ie.Problems {
			if strings.Contains(p.Text(l), "%!") || !i18n.Has(l, p.Key) {
				t.Errorf("%s: %q", l, p.Text(l))
			}
		}
	}
}

func TestImportAllOrNothing(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		admin := f.staff(t, actor.CentreAdmin, "admin1")
		f.staff(t, actor.Tutor, "tutor1")
		citizen := f.citizens(t, 1)[0]

		if _, err := f.svc.Import(citizen, importFixture(t, "courses_good.csv"), nil); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("citizen import: %v", err)
		}
		var calls []int
		res, err := f.svc.Import(admin, importFixture(t, "courses_good.csv"), func(done, total int) { calls = append(calls, done) })
		if err != nil {
			t.Fatal(err)
		}
		if res.Created != 2 || res.Updated != 0 || len(calls) != 3 || calls[2] != 2 {
			t.Fatalf("courses: %+v, progress %v", res, calls)
		}
		if c, err := f.svc.CourseByCode(ctx, "AI-101"); err != nil || c.SessionsToComplete != 2 || c.Theme != "ai" {
			t.Fatalf("AI-101: %+v %v", c, err)
		}

		// One bad reference: nothing is written and the line is named.
		refs := "code,course_code,venue_slug,date,start,end,capacity,tutor\n" +
			"R-1,AI-101,hub-library,2027-01-05,10:00,12:00,20,tutor1\n" +
			"R-2,AI-101,nowhere,2027-01-06,10:00,12:00,20,\n" +
			"R-3,NO-SUCH,hub-library,2027-01-07,10:00,12:00,20,ghost\n" +
			"R-4,AI-101,hub-library,2026-11-30,10:00,12:00,20,\n"
		file, err := ParseImport(strings.NewReader(refs))
		if err != nil {
			t.Fatal(err)
		}
		before := adminCountTables(t, d)
		_, err = f.svc.Import(admin, file, nil)
		sameProblems(t, "references", problemSet(t, err), []string{
			"4:tutor:import.tutor_unknown",
			"3:venue_slug:import.venue_unknown",
			"4:course_code:import.course_unknown",
			"5:date:import.session_in_past",
		})
		if after := adminCountTables(t, d); after != before {
			t.Fatalf("a refused import changed the database: %+v -> %+v", before, after)
		}

		// The good file goes in whole.
		res, err = f.svc.Import(admin, importFixture(t, "sessions_good.csv"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Created != 3 || res.Kind != ImportSessions {
			t.Fatalf("sessions: %+v", res)
		}
		file, _ = ParseImport(strings.NewReader("code,course_code,venue_slug,date,start,end,capacity,tutor\nR-1,AI-101,hub-library,2027-01-05,10:00,12:00,20,tutor1\n"))
		if _, err := f.svc.Import(admin, file, nil); err != nil {
			t.Fatal(err)
		}
		var tutor int64
		d.Read().QueryRowContext(ctx, `SELECT COALESCE(tutor_id, 0) FROM class_sessions WHERE code = 'R-1'`).Scan(&tutor)
		if tutor == 0 {
			t.Error("tutor1 not assigned to R-1")
		}

		// Moving a session with registrants updates it and tells them.
		var sessionID int64
		d.Read().QueryRowContext(ctx, `SELECT id FROM class_sessions WHERE code = 'AI-101-A'`).Scan(&sessionID)
		people := []context.Context{statsPerson(t, f, "010-6000-0001", "21050", 1950, false), statsPerson(t, f, "010-6000-0002", "", 0, true)}
		for _, p := range people {
			if _, err := f.svc.Register(p, Request{SessionID: sessionID}); err != nil {
				t.Fatal(err)
			}
		}
		moved := "code,course_code,venue_slug,date,start,end,capacity\n" +
			"AI-101-A,AI-101,hub-library,2027-01-13,10:00,12:00,20\n" +
			"AI-101-B,AI-101,hub-library,2027-01-19,09:30,11:30,25\n"
		file, _ = ParseImport(strings.NewReader(moved))
		before = adminCountTables(t, d)
		res, err = f.svc.Import(admin, file, nil)
		if err != nil {
			t.Fatal(err)
		}
		after := adminCountTables(t, d)
		if res.Updated != 2 || res.Created != 0 || res.Notified != 2 || after.outbox != before.outbox+2 || after.sessions != before.sessions {
			t.Fatalf("moved: %+v, %+v -> %+v", res, before, after)
		}

		// Capacity below the confirmed seats is refused with its line.
		file, _ = ParseImport(strings.NewReader("code,course_code,venue_slug,date,start,end,capacity\nAI-101-A,AI-101,hub-library,2027-01-13,10:00,12:00,1\n"))
		before = adminCountTables(t, d)
		_, err = f.svc.Import(admin, file, nil)
		sameProblems(t, "capacity", problemSet(t, err), []string{"2:capacity:learn.capacity_below_taken"})
		if adminCountTables(t, d) != before {
			t.Fatal("refused capacity changed the database")
		}

		// Once held, a session listed again as it was is left alone; a
		// change to it is refused.
		f.now = time.Date(2027, 1, 14, 0, 0, 0, 0, time.UTC)
		file, _ = ParseImport(strings.NewReader(moved))
		res, err = f.svc.Import(admin, file, nil)
		if err != nil || res.Unchanged != 1 || res.Updated != 1 {
			t.Fatalf("re-import after the class: %+v %v", res, err)
		}
		file, _ = ParseImport(strings.NewReader(strings.Replace(moved, "2027-01-13,10:00", "2027-01-13,11:00", 1)))
		_, err = f.svc.Import(admin, file, nil)
		sameProblems(t, "started", problemSet(t, err), []string{"2:code:import.session_started"})
	})
}

func TestImportPageAndAPI(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		admin := f.staff(t, actor.CentreAdmin, "admin1")
		rt := adminTestServer(t, f)
		router := adminRouter(f)
		if w := rt(admin, "GET", "/admin/import", nil); w.Code != 200 || !strings.Contains(w.Body.String(), `enctype="multipart/form-data"`) {
			t.Fatalf("page: %d", w.Code)
		}
		if w := rt(admin, "GET", "/admin/import/sample.csv?kind=sessions", nil); w.Code != 200 || !strings.HasPrefix(w.Body.String(), "\ufeffcode,course_code") {
			t.Fatalf("sample: %d %q", w.Code, w.Body.String())
		}
		upload := func(name string, data []byte) *httptest.ResponseRecorder {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			fw, _ := mw.CreateFormFile("file", name)
			fw.Write(data)
			mw.Close()
			r := httptest.NewRequest("POST", "/admin/import", &body)
			r.Header.Set("Content-Type", mw.FormDataContentType())
			w := httptest.NewRecorder()
			router.ServeHTTP(w, r.WithContext(admin))
			return w
		}
		good, _ := os.ReadFile(filepath.Join("testdata", "courses_good.csv"))
		bad := append(append([]byte(nil), good...), []byte("BAD,cooking,beginner,x,,,,1\r\n")...)
		before := adminCountTables(t, d)
		w := upload("bad.csv", bad)
		if w.Code != 422 || !strings.Contains(w.Body.String(), `<th scope="row" class="num">6</th>`) {
			t.Fatalf("bad upload: %d\n%s", w.Code, w.Body.String())
		}
		if adminCountTables(t, d) != before {
			t.Fatal("bad upload changed the database")
		}
		if w := upload("good.csv", good); w.Code != 200 || !strings.Contains(w.Body.String(), "2줄 중 새로 만든 것 2개") {
			t.Fatalf("good upload: %d\n%s", w.Code, w.Body.String())
		}
		big := bytes.Repeat([]byte("x"), MaxImportBytes+1)
		if w := upload("big.csv", big); w.Code != 422 || !strings.Contains(w.Body.String(), "5MB") {
			t.Fatalf("big upload: %d", w.Code)
		}

		api := func(body string) *httptest.ResponseRecorder {
			r := httptest.NewRequest("POST", "/api/v1/import", strings.NewReader(body))
			r.Header.Set("Content-Type", "text/csv")
			w := httptest.NewRecorder()
			router.ServeHTTP(w, r.WithContext(admin))
			return w
		}
		w = api("code,course_code,venue_slug,date,start,end,capacity\nX-1,NOPE,hub-library,2027-01-05,10:00,12:00,20\n")
		if w.Code != 422 || !strings.Contains(w.Body.String(), `"line":2`) || !strings.Contains(w.Body.String(), `"column":"course_code"`) {
			t.Fatalf("api bad: %d %s", w.Code, w.Body.String())
		}
		w = api("code,course_code,venue_slug,date,start,end,capacity\nX-1,KIOSK-101,hub-library,2027-01-05,10:00,12:00,20\n")
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"created":1`) {
			t.Fatalf("api good: %d %s", w.Code, w.Body.String())
		}
	})
}

func FuzzParseImport(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.csv"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("code,course_code,venue_slug,date,start,end,capacity,allocation,lottery_closes\nA,B,C,2027-1-1,25:00,9:60,1e3,lottery,2027-01-01\n"))
	f.Add([]byte("\ufeff\"code\",\"theme\"\n\"a\"\"b\",ai\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ParseImport(bytes.NewReader(data))
		if err != nil {
			var ie *ImportError
			if !errors.As(err, &ie) || len(ie.Problems) == 0 || len(ie.Problems) > MaxImportProblems {
				t.Fatalf("err = %v, want an *ImportError with problems", err)
			}
			for _, p := range ie.Problems {
				if p.Line < 0 || !i18n.Has("ko", p.Key) || !i18n.Has("en", p.Key) || strings.Contains(p.Text("en"), "%!") {
					t.Fatalf("bad problem %+v: %q", p, p.Text("en"))
				}
			}
			return
		}
		if file.Rows() == 0 {
			t.Fatal("a file without rows parsed")
		}
		for _, c := range file.Courses {
			if err := c.Course.validate(); err != nil {
				t.Fatalf("line %d passed parsing but not validation: %v", c.Line, err)
			}
		}
		for _, s := range file.Sessions {
			n := NewSession{Code: s.Code, StartsAt: s.StartsAt, EndsAt: s.EndsAt, Capacity: s.Capacity, Allocation: s.Allocation, LotteryClosesAt: s.LotteryClosesAt}
			if err := n.validate(); err != nil {
				t.Fatalf("line %d passed parsing but not validation: %v", s.Line, err)
			}
		}
	})
}
