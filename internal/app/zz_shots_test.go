package app_test

import (
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/maeul/maeul/internal/browsertest"
	"github.com/maeul/maeul/internal/db/dbtest"
)

func TestZZShots(t *testing.T) {
	b := browsertest.Start(t)
	ta := newTestApp(t, dbtest.SQLite(t))
	base := ta.srv.URL
	shot := func(name string) {
		png, err := chromedp.Run(b.Ctx(), chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile("/tmp/shots/"+name+".png", png, 0o644)
		s := b.FirstScreen(t)
		t.Logf("%s: %+v", name, s)
	}
	os.MkdirAll("/tmp/shots", 0o755)
	b.SetViewport(t, 390, 844)
	for _, p := range strings.Fields(os.Getenv("SHOT_ANON")) {
		b.Navigate(t, base+p)
		shot("anon" + strings.ReplaceAll(p, "/", "_"))
	}
	b.Navigate(t, base+"/login")
	b.TabTo(t, "#f-phone", 30)
	b.Type(t, ta.phone)
	b.PressNavigate(t, "Enter")
	e164 := "+82" + strings.TrimPrefix(strings.ReplaceAll(ta.phone, "-", ""), "0")
	b.TabTo(t, "#f-code", 30)
	b.Type(t, ta.lastCode(t, e164))
	b.PressNavigate(t, "Enter")
	for _, p := range strings.Fields(os.Getenv("SHOT_CITIZEN")) {
		b.Navigate(t, base+p)
		shot("cit" + strings.ReplaceAll(p, "/", "_"))
	}
	b.SetViewport(t, 1280, 900)
	for _, p := range strings.Fields(os.Getenv("SHOT_DESKTOP")) {
		b.Navigate(t, base+p)
		shot("desk" + strings.ReplaceAll(p, "/", "_"))
	}
}
