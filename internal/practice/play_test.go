package practice

import (
	"net/url"
	"testing"
	"time"
)

func kiosk(t *testing.T) *Scenario {
	t.Helper()
	all, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if s.ID == "food-kiosk" {
			return s
		}
	}
	t.Fatal("no food kiosk")
	return nil
}

func TestGuidedWrongPressStaysWithAHint(t *testing.T) {
	t.Parallel()
	s := kiosk(t)
	p := Play{Mode: Guided, Task: "bulgogi-set-cola", At: s.Start, Started: 1}
	out := s.Press(p, "take-away")
	if out.Play.At != s.Start || out.Play.Mistakes != 1 || out.Hint == nil || out.Hint.Ko == "" || out.Done {
		t.Fatalf("a wrong press in guided mode: %+v", out)
	}
	for _, st := range s.Tasks[0].Steps {
		out = s.Press(out.Play, st.Button)
	}
	if !out.Done || out.Play.Mistakes != 1 {
		t.Fatalf("the task's steps did not finish it: %+v", out)
	}
}

func TestChallengeWandersAndComesBack(t *testing.T) {
	t.Parallel()
	s := kiosk(t)
	p := Play{Mode: Challenge, Task: "bulgogi-set-cola", At: s.Start, Started: 1}
	out := s.Press(p, "eat-in")
	out = s.Press(out.Play, "bulgogi")
	out = s.Press(out.Play, "single") // a wrong turn: straight to the cart
	if out.Play.At != "cart" || out.Play.Mistakes != 1 {
		t.Fatalf("challenge follows the machine: %+v", out.Play)
	}
	out = s.Press(out.Play, "add-more") // back to the menu, where the task resumes
	if out.Play.At != "menu" || out.Play.Step != 1 || out.Play.Mistakes != 2 {
		t.Fatalf("resume at the menu: %+v", out.Play)
	}
	for _, b := range []string{"bulgogi", "set", "cola", "pay", "card", "insert"} {
		out = s.Press(out.Play, b)
	}
	if !out.Done || out.Play.Mistakes != 2 {
		t.Fatalf("finish after wandering: %+v", out)
	}
}

func TestPlayFromRepairsLinks(t *testing.T) {
	t.Parallel()
	s := kiosk(t)
	now := time.Unix(1000, 0)
	p := PlayFrom(s, url.Values{"mode": {"guided"}, "task": {"nope"}, "at": {"nowhere"}, "step": {"99"}, "started": {"5000"}}, now)
	if p.Mode != Free || p.Task != "" || p.At != s.Start || p.Started != 1000 {
		t.Fatalf("repaired play: %+v", p)
	}
	p = PlayFrom(s, Play{Mode: Guided, Task: "bulgogi-set-cola", At: "drink", Back: "set-or-single", Step: 3, Mistakes: 2, Started: 900}.Values(), now)
	if p.At != "drink" || p.Step != 3 || p.Mistakes != 2 || p.Started != 900 || p.Back != "set-or-single" {
		t.Fatalf("round trip: %+v", p)
	}
}

func TestGlossary(t *testing.T) {
	t.Parallel()
	ws, err := Glossary()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, w := range ws {
		have[w.Term] = true
	}
	// The words the issue names, and those the kiosk's own screens use.
	for _, term := range []string{"오더", "테이크아웃", "세트", "결제", "단품", "장바구니"} {
		if !have[term] {
			t.Errorf("the glossary lacks %s", term)
		}
	}
}
