package places

import (
	"slices"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
)

func at(day, hh, mm int) time.Time {
	// 2026-11-30 is a Monday.
	return time.Date(2026, 11, 30+day, hh, mm, 0, 0, i18n.Zone)
}

func TestHoursParseAndOpen(t *testing.T) {
	t.Parallel()
	h, err := ParseHours("Mo-Fr 09:00-12:00,13:00-18:00; Sa 09:00-13:00; We off")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		t    time.Time
		open bool
	}{
		{at(0, 8, 59), false}, {at(0, 9, 0), true}, {at(0, 12, 30), false}, {at(0, 17, 59), true}, {at(0, 18, 0), false},
		{at(2, 10, 0), false}, // Wednesday: off replaces Mo-Fr
		{at(5, 12, 59), true}, {at(5, 13, 0), false}, {at(6, 10, 0), false},
	}
	for _, c := range cases {
		if got := h.OpenAt(c.t); got != c.open {
			t.Errorf("OpenAt(%s) = %v, want %v", c.t.Format("Mon 15:04"), got, c.open)
		}
	}
	if !h.Covers(at(0, 9, 0), at(0, 12, 0)) || h.Covers(at(0, 11, 0), at(0, 14, 0)) {
		t.Error("Covers must need one span holding the whole booking")
	}
	want := []string{"월–화 09:00–12:00, 13:00–18:00", "수 휴무", "목–금 09:00–12:00, 13:00–18:00", "토 09:00–13:00", "일 휴무"}
	if got := h.Lines("ko"); !slices.Equal(got, want) {
		t.Errorf("Lines = %q, want %q", got, want)
	}
	if got := h.Lines("en"); got[1] != "Wed closed" {
		t.Errorf("Lines(en)[1] = %q", got[1])
	}
}

func TestHoursWrapAndAlways(t *testing.T) {
	t.Parallel()
	h, err := ParseHours("Sa-Mo 10:00-24:00")
	if err != nil {
		t.Fatal(err)
	}
	if !h.OpenAt(at(6, 23, 59)) || !h.OpenAt(at(0, 10, 0)) || h.OpenAt(at(1, 11, 0)) {
		t.Error("Sa-Mo must wrap through Sunday and stop before Tuesday")
	}
	all, _ := ParseHours("24/7")
	if !all.OpenAt(at(3, 3, 0)) || len(all.Lines("ko")) != 1 {
		t.Errorf("24/7: %v", all.Lines("ko"))
	}
	none, _ := ParseHours("")
	if none.Known() || none.OpenAt(at(0, 10, 0)) || none.Lines("ko") != nil {
		t.Error("empty hours must be unknown")
	}
}

func TestHoursRefused(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"Mo-Fr", "Mx 09:00-10:00", "Mo 9:00-10:00", "Mo 10:00-09:00", "Mo 09:00-25:00", "Mo 09:00-12:00,11:00-13:00", "Mo 09:60-10:00", "Mo-Fr 09:00-18:00; Sa", "Mo 24:30-24:40"} {
		_, err := ParseHours(s)
		if e, ok := errs.As(err); !ok || e.Field != "hours" {
			t.Errorf("ParseHours(%q) = %v, want a hours error", s, err)
		}
	}
}

func FuzzParseHours(f *testing.F) {
	for _, s := range []string{"Mo-Fr 09:00-18:00; Sa 09:00-13:00", "24/7", "Su off", "Fr-Mo 00:00-24:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseHours(s)
		if err != nil {
			return
		}
		for d := range h.days {
			for i, sp := range h.days[d] {
				if sp.From < 0 || sp.To > 1440 || sp.From >= sp.To || (i > 0 && sp.From < h.days[d][i-1].To) {
					t.Fatalf("%q: bad span %v on day %d", s, sp, d)
				}
			}
		}
		_ = h.Lines("en")
	})
}
