package board

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/places"
)

func TestDisplayName(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"김민수", "김○○"},
		{"  박 서연 ", "박○○"},
		{"남궁민", "남○○"},
		{"Jane Smith", "J. S."},
		{"jane", "J."},
		{"Mary Ann Lee", "M. A."},
		{"", ""},
		{"   ", ""},
	} {
		if got := DisplayName(c.in); got != c.want {
			t.Errorf("DisplayName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestParagraphs(t *testing.T) {
	t.Parallel()
	got := Paragraphs("첫 줄\n둘째 줄\n\n\n새 문단\n \n<b>끝</b>")
	want := [][]string{{"첫 줄", "둘째 줄"}, {"새 문단"}, {"<b>끝</b>"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Paragraphs = %q, want %q", got, want)
	}
	if Paragraphs("") != nil || Paragraphs("\n\n") != nil {
		t.Fatal("empty text has paragraphs")
	}
}

func TestCountLinks(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		want int
	}{
		{"", 0},
		{"시청 홈페이지 www.busan.go.kr 참고", 1},
		{"HTTPS://A.EXAMPLE http://b.example/x?y=1 https://c.example", 3},
		{"http://a.example,http://b.example", 1},
		{"email me at a@b.example", 0},
	} {
		if got := countLinks(c.in); got != c.want {
			t.Errorf("countLinks(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestClean(t *testing.T) {
	t.Parallel()
	if got := clean("\r\n  안녕\r\n하세요\x00\x07\t!  \n"); got != "안녕\n하세요\t!" {
		t.Fatalf("clean = %q", got)
	}
}

// FuzzCheckText: whatever a form sends, what is accepted is valid,
// trimmed text within the limit, without carriage returns or control
// characters, and cleaning it again changes nothing.
func FuzzCheckText(f *testing.F) {
	f.Add("안녕하세요\r\n\r\n반갑습니다", 20)
	f.Add("  <script>alert(1)</script>  ", 100)
	f.Add("http://a http://b http://c http://d", 100)
	f.Add("\xff\xfe", 10)
	f.Fuzz(func(t *testing.T, s string, limit int) {
		limit = 1 + abs(limit)%200
		in := s
		err := checkText("body", &in, limit, true)
		if err != nil {
			return
		}
		if !utf8.ValidString(in) || utf8.RuneCountInString(in) > limit || in == "" || strings.ContainsRune(in, '\r') ||
			strings.TrimSpace(in) != in || countLinks(in) > MaxLinks || clean(in) != in {
			t.Fatalf("accepted %q as %q", s, in)
		}
		for _, p := range Paragraphs(in) {
			if len(p) == 0 {
				t.Fatalf("empty paragraph from %q", in)
			}
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -(n + 1)
	}
	return n
}

func TestByDay(t *testing.T) {
	t.Parallel()
	kst := i18n.Zone
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, kst)
	ev := func(id int64, start time.Time) places.EventAt {
		return places.EventAt{Event: places.Event{ID: id, StartsAt: start, EndsAt: start.Add(time.Hour)}}
	}
	events := []places.EventAt{
		ev(1, now.Add(-2*time.Hour)),                     // under way: today
		ev(2, time.Date(2026, 12, 1, 23, 30, 0, 0, kst)), // late today
		ev(3, time.Date(2026, 12, 2, 0, 10, 0, 0, kst)),  // just after midnight in Busan (15:10 UTC the day before)
		ev(4, time.Date(2026, 12, 2, 9, 0, 0, 0, kst)),
		ev(5, time.Date(2026, 12, 20, 14, 0, 0, 0, kst)),
	}
	days := ByDay(events, now.UTC())
	var got []string
	for _, d := range days {
		s := d.Date.Format("01-02:")
		for _, e := range d.Events {
			s += string(rune('0' + e.ID))
		}
		got = append(got, s)
	}
	if want := []string{"12-01:12", "12-02:34", "12-20:5"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("days %q, want %q", got, want)
	}
}

func TestInvisibleTextIsEmpty(t *testing.T) {
	t.Parallel()
	s := "\u200b\ufeff \u200b"
	if err := checkText("body", &s, 10, true); err == nil {
		t.Fatalf("zero-width text accepted as %q", s)
	}
}

// The keys the templates build from values exist in both languages.
func TestBuiltKeysExist(t *testing.T) {
	t.Parallel()
	var keys []string
	for _, r := range Reasons {
		keys = append(keys, "board.reason_"+r)
	}
	for _, k := range []string{KindPost, KindComment} {
		keys = append(keys, "board.kind_"+k)
	}
	for _, s := range []string{Visible, Held, Hidden} {
		keys = append(keys, "board.state_"+s)
	}
	for _, a := range []string{Keep, Hide, Remove} {
		keys = append(keys, "board.action_"+a, "board.flash_moderated_"+a)
	}
	for _, f := range []string{"title", "body", "comment", "note"} {
		keys = append(keys, "board."+f+"_required", "board."+f+"_too_long")
	}
	for _, k := range keys {
		for _, lang := range i18n.Langs {
			if !i18n.Has(lang, k) {
				t.Errorf("%s: no %q", lang, k)
			}
		}
	}
}
