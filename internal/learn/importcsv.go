package learn

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/notify"
	"github.com/maeul/maeul/internal/sheet"
)

// CSV import of courses and sessions from staff spreadsheets. A file is
// checked whole before anything is written, and written in one transaction:
// either every row goes in or none does, and every problem is reported with
// its line number so staff can fix the sheet in one pass.

// Import kinds, detected from the header row.
const (
	ImportCourses  = "courses"
	ImportSessions = "sessions"
)

// ImportColumns are the columns of each kind, required ones first.
var ImportColumns = map[string][]string{
	ImportCourses:  {"code", "theme", "level", "title_ko", "title_en", "summary_ko", "summary_en", "sessions_to_complete"},
	ImportSessions: {"code", "course_code", "venue_slug", "date", "start", "end", "capacity", "tutor", "allocation", "lottery_closes", "access_ko", "access_en"},
}

var requiredColumns = map[string][]string{
	ImportCourses:  {"code", "theme", "level", "title_ko"},
	ImportSessions: {"code", "course_code", "venue_slug", "date", "start", "end", "capacity"},
}

// MaxImportProblems bounds the report (see sheet.MaxProblems).
const MaxImportProblems = sheet.MaxProblems

// ImportProblem is one thing wrong with a file, with its line and column.
type ImportProblem = sheet.Problem

// ImportError is a file that cannot be imported, with every problem found.
type ImportError = sheet.Error

// ImportCourse is one course row.
type ImportCourse struct {
	Line int
	Course
}

// ImportSession is one session row, with its references still by name.
type ImportSession struct {
	Line            int
	Code            string
	CourseCode      string
	VenueSlug       string
	Tutor           string // a tutor's username, or ""
	StartsAt        time.Time
	EndsAt          time.Time
	Capacity        int
	Allocation      string
	LotteryClosesAt time.Time
	AccessKo        string
	AccessEn        string
}

// ImportFile is a parsed, checked file: only courses or only sessions.
type ImportFile struct {
	Kind     string
	Courses  []ImportCourse
	Sessions []ImportSession
}

// Rows is how many records the file holds.
func (f *ImportFile) Rows() int { return len(f.Courses) + len(f.Sessions) }

// ImportResult says what an import did.
type ImportResult struct {
	Kind      string `json:"kind"`
	Rows      int    `json:"rows"`
	Created   int    `json:"created"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"` // sessions already held, listed again as they were
	Notified  int    `json:"notified"`  // people told that their class moved
}

// ParseImport reads a CSV file of courses or sessions (UTF-8, with or
// without a byte-order mark; a header row naming the columns in any order)
// and checks every row. It returns an *ImportError listing every problem,
// or the file ready for Service.Import. References to other records
// (course codes, venue slugs, tutors) are checked by Import.
func ParseImport(r io.Reader) (*ImportFile, error) {
	var ps sheet.Problems
	t, err := sheet.Read(r, &ps)
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, ps.Err()
	}
	f := &ImportFile{}
	switch {
	case t.Has("course_code") || t.Has("venue_slug"):
		f.Kind = ImportSessions
	case t.Has("title_ko") || t.Has("theme"):
		f.Kind = ImportCourses
	default:
		ps.Add(1, "", "import.unknown_kind")
		return nil, ps.Err()
	}
	t.Check(ImportColumns[f.Kind], requiredColumns[f.Kind], &ps)
	if ps.Len() > 0 {
		return nil, ps.Err()
	}
	seen := map[string]int{} // code -> line
	for _, row := range t.Rows {
		code := row.Get("code")
		if first, dup := seen[code]; dup && code != "" {
			ps.Add(row.Line, "code", "import.duplicate_code", first)
		} else {
			seen[code] = row.Line
		}
		if f.Kind == ImportCourses {
			if c, ok := parseCourseRow(&ps, row.Line, row.Get); ok {
				f.Courses = append(f.Courses, c)
			}
		} else if s, ok := parseSessionRow(&ps, row.Line, row.Get); ok {
			f.Sessions = append(f.Sessions, s)
		}
		if ps.Full() {
			break
		}
	}
	if ps.Len() == 0 && f.Rows() == 0 {
		ps.Add(0, "", "sheet.no_rows")
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	return f, nil
}

func importCodeOK(code string, maxLen int) bool {
	return code != "" && len(code) <= maxLen && !strings.ContainsAny(code, " /?#")
}

func parseCourseRow(ps *sheet.Problems, line int, get func(string) string) (ImportCourse, bool) {
	n := ps.Len()
	c := Course{Code: get("code"), Theme: get("theme"), Level: get("level"), TitleKo: get("title_ko"), TitleEn: get("title_en"),
		SummaryKo: get("summary_ko"), SummaryEn: get("summary_en"), SessionsToComplete: 1}
	if !importCodeOK(c.Code, 40) {
		ps.Add(line, "code", "import.code_invalid", 40)
	}
	if !oneOf(c.Theme, Themes) {
		ps.Add(line, "theme", "import.one_of", strings.Join(Themes, ", "))
	}
	if !oneOf(c.Level, Levels) {
		ps.Add(line, "level", "import.one_of", strings.Join(Levels, ", "))
	}
	if c.TitleKo == "" || utf8.RuneCountInString(c.TitleKo) > 120 {
		ps.Add(line, "title_ko", "import.text_required", 120)
	}
	if utf8.RuneCountInString(c.TitleEn) > 120 {
		ps.Add(line, "title_en", "import.text_too_long", 120)
	}
	for _, col := range []string{"summary_ko", "summary_en"} {
		if utf8.RuneCountInString(get(col)) > 2000 {
			ps.Add(line, col, "import.text_too_long", 2000)
		}
	}
	if v := get("sessions_to_complete"); v != "" {
		k, err := strconv.Atoi(v)
		if err != nil || k < 1 || k > 50 {
			ps.Add(line, "sessions_to_complete", "import.number_range", 1, 50)
		}
		c.SessionsToComplete = k
	}
	if ps.Len() > n {
		return ImportCourse{}, false
	}
	// The store's own rules have the last word.
	if err := c.validate(); err != nil {
		e, _ := errs.As(err)
		ps.Add(line, e.Field, e.Key, e.Args...)
		return ImportCourse{}, false
	}
	return ImportCourse{Line: line, Course: c}, true
}

// parseDate accepts 2026-03-05, 2026-3-5, 2026/03/05 and 2026.03.05, the
// ways spreadsheets in Korea write a date.
func importDate(s string) (time.Time, bool) {
	s = strings.TrimSuffix(strings.NewReplacer("/", "-", ".", "-").Replace(strings.TrimSpace(s)), "-")
	t, err := time.ParseInLocation("2006-1-2", s, i18n.Zone)
	return t, err == nil
}

// parseClock accepts 9:00, 09:00 and 09:00:00.
func importClock(s string) (h, m int, ok bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"15:04", "15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Hour(), t.Minute(), true
		}
	}
	return 0, 0, false
}

func importAt(day time.Time, h, m int) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, i18n.Zone)
}

func parseSessionRow(ps *sheet.Problems, line int, get func(string) string) (ImportSession, bool) {
	n := ps.Len()
	s := ImportSession{Line: line, Code: get("code"), CourseCode: get("course_code"), VenueSlug: get("venue_slug"), Tutor: get("tutor"),
		Allocation: get("allocation"), AccessKo: get("access_ko"), AccessEn: get("access_en")}
	if !importCodeOK(s.Code, 60) {
		ps.Add(line, "code", "import.code_invalid", 60)
	}
	if s.CourseCode == "" {
		ps.Add(line, "course_code", "import.value_required")
	}
	if s.VenueSlug == "" {
		ps.Add(line, "venue_slug", "import.value_required")
	}
	day, okDay := importDate(get("date"))
	if !okDay {
		ps.Add(line, "date", "import.date_invalid")
	}
	sh, sm, okStart := importClock(get("start"))
	if !okStart {
		ps.Add(line, "start", "import.clock_invalid")
	}
	eh, em, okEnd := importClock(get("end"))
	if !okEnd {
		ps.Add(line, "end", "import.clock_invalid")
	}
	if okDay && okStart && okEnd {
		s.StartsAt, s.EndsAt = importAt(day, sh, sm), importAt(day, eh, em)
		if !s.EndsAt.After(s.StartsAt) || s.EndsAt.Sub(s.StartsAt) > 12*time.Hour {
			ps.Add(line, "end", "learn.end_before_start")
		}
	}
	k, err := strconv.Atoi(get("capacity"))
	if err != nil || k < 1 || k > 1000 {
		ps.Add(line, "capacity", "import.number_range", 1, 1000)
	}
	s.Capacity = k
	if s.Allocation == "" {
		s.Allocation = FirstCome
	}
	if s.Allocation != FirstCome && s.Allocation != Lottery {
		ps.Add(line, "allocation", "import.one_of", FirstCome+", "+Lottery)
	}
	if closes := get("lottery_closes"); closes != "" || s.Allocation == Lottery {
		d, c, _ := strings.Cut(strings.Join(strings.Fields(closes), " "), " ")
		day, okDay := importDate(d)
		h, m, okClock := importClock(c)
		switch {
		case !okDay || !okClock:
			ps.Add(line, "lottery_closes", "import.lottery_closes_invalid")
		case s.Allocation != Lottery:
			ps.Add(line, "lottery_closes", "import.lottery_closes_unused")
		default:
			s.LotteryClosesAt = importAt(day, h, m)
			if !s.StartsAt.IsZero() && !s.LotteryClosesAt.Before(s.StartsAt) {
				ps.Add(line, "lottery_closes", "learn.lottery_close_invalid")
			}
		}
	}
	for _, col := range []string{"access_ko", "access_en"} {
		if utf8.RuneCountInString(get(col)) > 500 {
			ps.Add(line, col, "import.text_too_long", 500)
		}
	}
	return s, ps.Len() == n
}

// Import writes a checked file in one transaction: courses and sessions are
// created, or updated when their code exists. Nothing is written if any row
// refers to a course, venue or tutor that does not exist, or would change a
// session that has already started; the *ImportError names every such line.
// People registered for a session whose time or place changes are told.
// progress, if set, is called as rows are written (the command line shows a
// bar). Without an actor in ctx the caller is the command line.
func (s *Service) Import(ctx context.Context, f *ImportFile, progress func(done, total int)) (ImportResult, error) {
	if a := actor.From(ctx); a != nil && !a.Is(actor.CentreAdmin) {
		return ImportResult{}, errs.New(errs.Forbidden, "error.forbidden")
	}
	if f == nil || f.Rows() == 0 {
		return ImportResult{}, &ImportError{Problems: []ImportProblem{{Key: "sheet.no_rows"}}}
	}
	if progress == nil {
		progress = func(int, int) {}
	}
	res := ImportResult{Kind: f.Kind, Rows: f.Rows()}
	var ps sheet.Problems
	tutors := map[string]int64{}
	for _, row := range f.Sessions {
		if _, done := tutors[row.Tutor]; done || row.Tutor == "" {
			continue
		}
		id, err := s.tutorByUsername(ctx, row.Tutor)
		if err != nil && errs.CodeOf(err) != errs.Invalid {
			return res, err
		}
		tutors[row.Tutor] = id
		if err != nil {
			e, _ := errs.As(err)
			for _, r := range f.Sessions {
				if r.Tutor == row.Tutor {
					ps.Add(r.Line, "tutor", e.Key, e.Args...)
				}
			}
		}
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if f.Kind == ImportCourses {
			err = s.importCourses(ctx, tx, f, &res, progress)
		} else {
			err = s.importSessions(ctx, tx, f, tutors, &ps, &res, progress)
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "import." + f.Kind, SubjectType: f.Kind,
			Detail: fmt.Sprintf("rows=%d created=%d updated=%d unchanged=%d", res.Rows, res.Created, res.Updated, res.Unchanged)})
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

func (s *Service) importCourses(ctx context.Context, tx *sql.Tx, f *ImportFile, res *ImportResult, progress func(int, int)) error {
	total := len(f.Courses)
	progress(0, total)
	for i, row := range f.Courses {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM courses WHERE code = $1`, row.Code).Scan(&n); err != nil {
			return err
		}
		if _, err := saveCourse(ctx, tx, row.Course); err != nil {
			return err
		}
		if n > 0 {
			res.Updated++
		} else {
			res.Created++
		}
		progress(i+1, total)
	}
	return nil
}

// existingSession is what an import needs to know of a session it updates.
type existingSession struct {
	id, venueID, courseID int64
	starts, ends          time.Time
	capacity, taken       int
}

func (s *Service) importSessions(ctx context.Context, tx *sql.Tx, f *ImportFile, tutors map[string]int64, ps *sheet.Problems, res *ImportResult, progress func(int, int)) error {
	now := s.Now()
	courses, venues := map[string]int64{}, map[string]int64{}
	lookup := func(cache map[string]int64, q, key string) (int64, error) {
		if id, ok := cache[key]; ok {
			return id, nil
		}
		var id int64
		err := tx.QueryRowContext(ctx, q, key).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			err = nil
		}
		cache[key] = id
		return id, err
	}
	type planned struct {
		n        NewSession
		line     int
		old      *existingSession
		skip     bool
		courseKo string
		courseEn string
	}
	plan := make([]planned, 0, len(f.Sessions))
	// First pass: check every reference and every update, writing nothing.
	for _, row := range f.Sessions {
		p := planned{line: row.Line, n: NewSession{Code: row.Code, TutorID: tutors[row.Tutor], StartsAt: row.StartsAt, EndsAt: row.EndsAt,
			Capacity: row.Capacity, Allocation: row.Allocation, LotteryClosesAt: row.LotteryClosesAt, AccessKo: row.AccessKo, AccessEn: row.AccessEn}}
		var err error
		if p.n.CourseID, err = lookup(courses, `SELECT id FROM courses WHERE code = $1`, row.CourseCode); err != nil {
			return err
		}
		if p.n.CourseID == 0 {
			ps.Add(row.Line, "course_code", "import.course_unknown", row.CourseCode)
		}
		if p.n.VenueID, err = lookup(venues, `SELECT id FROM venues WHERE slug = $1`, row.VenueSlug); err != nil {
			return err
		}
		if p.n.VenueID == 0 {
			ps.Add(row.Line, "venue_slug", "import.venue_unknown", row.VenueSlug)
		}
		var old existingSession
		err = tx.QueryRowContext(ctx, `SELECT id, venue_id, course_id, starts_at, ends_at, capacity, seats_taken FROM class_sessions WHERE code = $1`, row.Code).
			Scan(&old.id, &old.venueID, &old.courseID, &old.starts, &old.ends, &old.capacity, &old.taken)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if !row.StartsAt.After(now) {
				ps.Add(row.Line, "date", "import.session_in_past")
			}
		case err != nil:
			return err
		default:
			p.old = &old
			same := old.venueID == p.n.VenueID && old.courseID == p.n.CourseID && old.starts.Equal(row.StartsAt) && old.ends.Equal(row.EndsAt) && old.capacity == row.Capacity
			switch {
			case !old.starts.After(now) && same:
				p.skip = true // a held session listed again as it was
			case !old.starts.After(now):
				ps.Add(row.Line, "code", "import.session_started", row.Code)
			case row.Capacity < old.taken:
				ps.Add(row.Line, "capacity", "learn.capacity_below_taken", old.taken)
			case !row.StartsAt.After(now):
				ps.Add(row.Line, "date", "import.session_in_past")
			}
		}
		if err := p.n.validate(); err != nil {
			e, _ := errs.As(err)
			ps.Add(row.Line, e.Field, e.Key, e.Args...)
		}
		plan = append(plan, p)
		if ps.Full() {
			break
		}
	}
	if err := ps.Err(); err != nil {
		return err
	}
	// Second pass: write.
	total := len(plan)
	progress(0, total)
	for i, p := range plan {
		switch {
		case p.skip:
			res.Unchanged++
		default:
			if _, err := scheduleSession(ctx, tx, p.n); err != nil {
				if e, ok := errs.As(err); ok {
					return &ImportError{Problems: []ImportProblem{{Line: p.line, Column: e.Field, Key: e.Key, Args: e.Args}}}
				}
				return err
			}
			if p.old == nil {
				res.Created++
			} else {
				res.Updated++
				if p.old.venueID != p.n.VenueID || !p.old.starts.Equal(p.n.StartsAt) || !p.old.ends.Equal(p.n.EndsAt) {
					n, err := s.notifyMoved(ctx, tx, p.old.id)
					if err != nil {
						return err
					}
					res.Notified += n
				}
			}
		}
		progress(i+1, total)
	}
	return nil
}

// notifyMoved tells everyone holding or awaiting a seat in a session that
// its time or place changed.
func (s *Service) notifyMoved(ctx context.Context, tx *sql.Tx, sessionID int64) (int, error) {
	regs, err := activeRegistrations(ctx, tx, sessionID)
	if err != nil {
		return 0, err
	}
	if len(regs) == 0 {
		return 0, nil
	}
	var ko, en, venueKo, venueEn string
	var starts time.Time
	if err := tx.QueryRowContext(ctx, `SELECT c.title_ko, c.title_en, s.starts_at, v.name_ko, v.name_en
		FROM class_sessions s JOIN courses c ON c.id = s.course_id JOIN venues v ON v.id = s.venue_id WHERE s.id = $1`, sessionID).
		Scan(&ko, &en, &starts, &venueKo, &venueEn); err != nil {
		return 0, err
	}
	for _, r := range regs {
		if err := s.notify.Enqueue(ctx, tx, notify.Message{UserID: r.UserID, Kind: "registration", Subject: "learn.msg_subject",
			Body: "import.msg_session_moved", Args: []any{sessionLabel{ko: ko, en: en, at: starts}, venueLabel{ko: venueKo, en: venueEn}}}); err != nil {
			return 0, err
		}
	}
	return len(regs), nil
}

// venueLabel names a venue in the recipient's language.
type venueLabel struct{ ko, en string }

func (p venueLabel) Localize(l i18n.Localizer) string { return l.Pick(p.ko, p.en) }
