package booking

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/browsertest"
	"github.com/maeul/maeul/internal/db/dbtest"
)

// TestBrowserCatalogue searches the catalogue by keyboard, runs axe-core
// on its every state (results, choices, a place not found) in both
// languages, and measures the first screen of a phone.
func TestBrowserCatalogue(t *testing.T) {
	t.Parallel()
	b := browsertest.Start(t)
	f := newFixture(t, dbtest.SQLite(t))
	catalogueCity(f)
	srv := site(t, f, context.Background()).URL

	for _, lang := range []string{"ko", "en"} {
		b.Visit(t, srv+"/lang/"+lang+"?next=/book")
		for _, q := range []string{"?page=2", "?district=21140&category=sports&step_free=1", "?near=" + url.QueryEscape("우동"),
			"?near=" + url.QueryEscape("중앙동"), "?q=zzz"} {
			b.Visit(t, srv+"/book"+q)
		}
		if st := b.Navigate(t, srv+"/book?near=nowhere"); st != 422 {
			t.Fatalf("%s: a place not found answered %d", lang, st)
		}
		b.Axe(t)
	}

	// By keyboard: a name, then a place from the further conditions.
	b.Visit(t, srv+"/lang/ko?next=/book")
	b.TabTo(t, "#f-q", 40)
	b.Type(t, "체육")
	b.PressNavigate(t, "Enter")
	if got := b.Text(t, "main"); !strings.Contains(got, "2곳 중 1–2") || !strings.Contains(got, "광안 체육관") {
		t.Fatalf("searched by name: %s", got)
	}
	b.TabTo(t, "main details > summary", 20)
	b.Press(t, "Enter")
	b.TabTo(t, "#f-near", 20)
	b.Type(t, "중앙동")
	b.PressNavigate(t, "Enter")
	b.TabTo(t, `#choices-h + ul a`, 40)
	b.PressNavigate(t, "Enter")
	if loc := b.Location(t); !strings.Contains(loc, "lat=") || !strings.Contains(loc, "q=") {
		t.Fatalf("the chosen place lost the search: %s", loc)
	}
	if got := b.Text(t, "main"); !strings.Contains(got, "‘중구 중앙동’에서 가까운 순서") || !strings.Contains(got, "직선") {
		t.Fatalf("from the chosen place: %s", got)
	}

	// On a phone, the heading, the name field and its button are in the
	// first screen; the checkbox keeps its 44 px target.
	b.SetViewport(t, 390, 844)
	defer b.SetViewport(t, 1280, 900)
	for _, lang := range []string{"ko", "en"} {
		b.Navigate(t, srv+"/lang/"+lang+"?next="+url.QueryEscape("/book?step_free=1"))
		bottoms := browsertest.Eval[[]float64](t, b, `["main h1", "#f-q", "form[role=search] button[type=submit]", "label[for=f-step_free]"].map(s => {
			const r = document.querySelector(s).getBoundingClientRect(); return s.startsWith("label") ? r.height : r.bottom; })`)
		if bottoms[0] > 844 || bottoms[1] > 844 || bottoms[2] > 844 {
			t.Errorf("%s: heading, field and button end at %v px, below the first screen", lang, bottoms[:3])
		}
		if bottoms[3] < 44 {
			t.Errorf("%s: the step-free checkbox's label is %v px high", lang, bottoms[3])
		}
	}
}
