package ical

import (
	"bufio"
	"bytes"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var fixedNow = time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)

func write(t *testing.T, calName string, events ...Event) string {
	t.Helper()
	old := now
	now = func() time.Time { return fixedNow }
	t.Cleanup(func() { now = old })
	var b bytes.Buffer
	if err := Write(&b, calName, events); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// unfold reverses RFC 5545 §3.1 folding and splits into logical lines.
func unfold(t *testing.T, s string) []string {
	t.Helper()
	if !strings.HasSuffix(s, "\r\n") {
		t.Fatal("output does not end in CRLF")
	}
	s = strings.ReplaceAll(s, "\r\n ", "")
	return strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
}

func unescape(s string) string {
	r := strings.NewReplacer(`\\`, `\`, `\;`, `;`, `\,`, `,`, `\n`, "\n", `\N`, "\n")
	return r.Replace(s)
}

// props returns the value of each property in the first VEVENT.
func props(lines []string) map[string]string {
	m := map[string]string{}
	in := false
	for _, l := range lines {
		switch l {
		case "BEGIN:VEVENT":
			in = true
			continue
		case "END:VEVENT":
			return m
		}
		if in {
			name, value, _ := strings.Cut(l, ":")
			m[name] = value
		}
	}
	return m
}

var seoul = time.FixedZone("KST", 9*3600)

func TestCalendarStructure(t *testing.T) {
	out := write(t, "마을 행사", Event{
		UID:     "event-42@maeul.busan.kr",
		Summary: "건강 체조",
		Start:   time.Date(2026, 4, 2, 10, 0, 0, 0, seoul),
		End:     time.Date(2026, 4, 2, 11, 30, 0, 0, seoul),
		Created: time.Date(2026, 2, 27, 15, 4, 5, 0, seoul),
		URL:     "https://maeul.busan.kr/events/42?lang=ko,en;x",
		Status:  StatusCancelled,
	})
	if strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") {
		t.Error("bare LF in output")
	}
	lines := unfold(t, out)
	want := []string{
		"BEGIN:VCALENDAR",
		"PRODID:-//Maeul//Maeul//KO",
		"VERSION:2.0",
		"CALSCALE:GREGORIAN",
		"METHOD:PUBLISH",
		"X-WR-CALNAME:마을 행사",
		"BEGIN:VEVENT",
		"UID:event-42@maeul.busan.kr",
		"DTSTAMP:20260301T093000Z",
		"DTSTART:20260402T010000Z",
		"DTEND:20260402T023000Z",
		"CREATED:20260227T060405Z",
		"SUMMARY:건강 체조",
		"URL:https://maeul.busan.kr/events/42?lang=ko,en;x",
		"STATUS:CANCELLED",
		"END:VEVENT",
		"END:VCALENDAR",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		`a\b`:               `a\\b`,
		"a;b,c":             `a\;b\,c`,
		"line1\nline2":      `line1\nline2`,
		"line1\r\nline2":    `line1\nline2`,
		"line1\rline2":      `line1\nline2`,
		"tab\tbell\a\x7fok": "tab\tbellok",
		"부산, 해운대구; 1층":      `부산\, 해운대구\; 1층`,
	} {
		if got := escape(in); got != want {
			t.Errorf("escape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFoldingKorean(t *testing.T) {
	// 3-byte Hangul with an ASCII offset so folds would land mid-character
	// if the writer cut at a fixed 75 octets.
	long := "x" + strings.Repeat("부산광역시 해운대구 마을 건강 체조 교실에 오신 것을 환영합니다. ", 12)
	desc := long + "\n두 번째 줄; 쉼표, 그리고 백슬래시 \\ 끝."
	out := write(t, "", Event{
		UID: "fold@maeul", Summary: long, Description: desc, Location: "부산시청 1층 대강당",
		Start: time.Date(2026, 4, 2, 1, 0, 0, 0, time.UTC),
	})
	physical := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
	folded := 0
	for i, l := range physical {
		if len(l) > 75 {
			t.Errorf("line %d is %d octets: %q", i, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d is not valid UTF-8: %q", i, l)
		}
		if strings.HasPrefix(l, " ") {
			folded++
		}
	}
	if folded < 10 {
		t.Errorf("only %d continuation lines; long text was not folded", folded)
	}
	p := props(unfold(t, out))
	if got := unescape(p["SUMMARY"]); got != long {
		t.Errorf("SUMMARY round trip:\n got %q\nwant %q", got, long)
	}
	if got := unescape(p["DESCRIPTION"]); got != desc {
		t.Errorf("DESCRIPTION round trip:\n got %q\nwant %q", got, desc)
	}
	if got := unescape(p["LOCATION"]); got != "부산시청 1층 대강당" {
		t.Errorf("LOCATION = %q", got)
	}
}

func TestFoldBoundaries(t *testing.T) {
	// Every length and alignment of mixed 1-, 3- and 4-byte characters.
	for n := range 200 {
		v := strings.Repeat("a", n%7) + strings.Repeat("가😀b", n)
		var b bytes.Buffer
		cw := &contentWriter{w: bufio.NewWriter(&b)}
		cw.line("SUMMARY", v)
		cw.w.Flush()
		for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\r\n"), "\r\n") {
			if len(l) > 75 || !utf8.ValidString(l) {
				t.Fatalf("n=%d: bad physical line %q (%d octets)", n, l, len(l))
			}
		}
		if got := strings.ReplaceAll(strings.TrimSuffix(b.String(), "\r\n"), "\r\n ", ""); got != "SUMMARY:"+v {
			t.Fatalf("n=%d: unfold mismatch", n)
		}
	}
}

func TestInvalidUTF8Replaced(t *testing.T) {
	out := write(t, "", Event{UID: "u", Summary: strings.Repeat("\x80", 200), Start: fixedNow})
	if !utf8.ValidString(out) {
		t.Error("invalid UTF-8 written")
	}
}

func TestWriteRejectsBadEvents(t *testing.T) {
	start := time.Date(2026, 4, 2, 1, 0, 0, 0, time.UTC)
	for name, e := range map[string]Event{
		"no uid":     {Start: start},
		"no start":   {UID: "u"},
		"backwards":  {UID: "u", Start: start, End: start.Add(-time.Hour)},
		"bad status": {UID: "u", Start: start, Status: "MAYBE"},
		"url break":  {UID: "u", Start: start, URL: "https://x\r\nATTACH:evil"},
	} {
		var b bytes.Buffer
		if err := Write(&b, "c", []Event{e}); err == nil {
			t.Errorf("%s: no error", name)
		}
		if b.Len() != 0 {
			t.Errorf("%s: wrote %d bytes before failing", name, b.Len())
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteError(t *testing.T) {
	events := make([]Event, 100)
	for i := range events {
		events[i] = Event{UID: "u", Summary: strings.Repeat("가", 100), Start: fixedNow}
	}
	if err := Write(failWriter{}, "c", events); err == nil || err.Error() != "disk full" {
		t.Errorf("err = %v, want disk full", err)
	}
}

func TestServe(t *testing.T) {
	rec := httptest.NewRecorder()
	ev := Event{UID: UID("booking", 7), Summary: "Room", Start: time.Date(2026, 5, 1, 1, 0, 0, 0, time.UTC)}
	if err := Serve(rec, "Room", "booking-7.ics", []Event{ev}); err != nil {
		t.Fatal(err)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := rec.Header().Get("Content-Disposition"); cd != `attachment; filename="booking-7.ics"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	if !strings.Contains(rec.Body.String(), "UID:booking-7@maeul") {
		t.Errorf("body lacks the UID:\n%s", rec.Body.String())
	}
	rec = httptest.NewRecorder()
	if err := Serve(rec, "x", "x.ics", []Event{{Summary: "no uid"}}); err == nil || rec.Body.Len() != 0 || rec.Header().Get("Content-Type") != "" {
		t.Errorf("a bad event: err %v, %d bytes sent", err, rec.Body.Len())
	}
}
