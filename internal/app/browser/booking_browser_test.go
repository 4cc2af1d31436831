package browser_test

import (
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/browsertest"
)

// TestBrowserKeyboardBooksARoomNearby finds the nearest senior welfare centre,
// books its programme room by keyboard alone and finds the booking in "my
// bookings"; then posts on the zone's board. axe-core runs on every page.
func TestBrowserKeyboardBooksARoomNearby(t *testing.T) {
	t.Parallel()
	b := browsertest.Start(t)
	ta := apptest.SQLite(t)
	ta.WithBooking(t)
	base := ta.Server.URL

	b.Visit(t, base+"/lang/ko?next=/login")
	b.TabTo(t, "#f-phone", 30)
	b.Type(t, ta.Phone)
	b.PressNavigate(t, "Enter")
	e164 := "+82" + strings.TrimPrefix(strings.ReplaceAll(ta.Phone, "-", ""), "0")
	b.TabTo(t, "#f-code", 30)
	b.Type(t, ta.LastCode(t, e164))
	b.PressNavigate(t, "Enter")

	b.Visit(t, base+"/places?near=해운대구+우1동&category=senior&pace=senior")
	b.TabTo(t, `.places-results li:first-child h3 a`, 40)
	b.PressNavigate(t, "Enter")
	centre := b.Text(t, "h1")
	b.TabTo(t, `a.button[href^="/book/facilities/"]`, 40)
	b.PressNavigate(t, "Enter")
	b.TabTo(t, `a[href^="/book/resources/"]`, 40)
	b.PressNavigate(t, "Enter")
	// The first free slot of the week.
	b.TabTo(t, `a[href*="/slot?at="]`, 120)
	b.PressNavigate(t, "Enter")
	b.TabTo(t, `form[action^="/book/resources/"] button[type=submit]`, 40)
	b.PressNavigate(t, "Enter")
	if loc := b.Location(t); !strings.Contains(loc, "/my/bookings/") {
		t.Fatalf("booking ended on %s: %s", loc, b.Text(t, "main"))
	}
	if !strings.Contains(b.Text(t, "main"), "프로그램실") {
		t.Fatalf("ticket: %s", b.Text(t, "main"))
	}
	b.Visit(t, base+"/my/bookings")
	if got := b.Text(t, "main"); !strings.Contains(got, "프로그램실") || !strings.Contains(got, strings.TrimSuffix(centre, " (시연)")) {
		t.Fatalf("my bookings: %s", got)
	}

	// The zone's board: read the news, post by keyboard.
	b.Visit(t, base+"/board")
	b.Visit(t, base+"/board/21090-Z3")
	b.TabTo(t, `#f-title`, 80)
	b.Type(t, "경로당 탁구 모임")
	b.TabTo(t, `#f-body`, 5)
	b.Type(t, "수요일 오후에 같이 치실 분 계신가요?")
	b.TabTo(t, `form[action$="/posts"] button[type=submit]`, 10)
	b.PressNavigate(t, "Enter")
	if !strings.Contains(b.Text(t, "main"), "경로당 탁구 모임") {
		t.Fatalf("post not shown: %s", b.Text(t, "main"))
	}
	b.Visit(t, base+"/my/posts")
	t.Logf("axe-core checked %d pages", len(b.Checked()))
}
