package apptest

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/browsertest"
	"github.com/maeul/maeul/internal/notify"
)

var codeRe = regexp.MustCompile(`\b(\d{6})\b`)

// LastCode reads the newest sign-in code sent to phone from the messages
// file, as the demo's operator does (the outbox hides codes).
func (ta *App) LastCode(t testing.TB, phone string) string {
	t.Helper()
	msgs, err := notify.ReadFile(ta.Messages)
	if err != nil {
		t.Fatalf("messages file: %v", err)
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Recipient != phone {
			continue
		}
		m := codeRe.FindStringSubmatch(msgs[i].Body)
		if m == nil {
			t.Fatalf("no code in %q", msgs[i].Body)
		}
		return m[1]
	}
	t.Fatalf("no message to %s", phone)
	return ""
}

// SignInCitizen signs a citizen in by phone and code through the pages.
func (ta *App) SignInCitizen(t testing.TB, c *Client, phone string) {
	t.Helper()
	if st, body := c.Post("/login/phone", url.Values{"phone": {phone}}); st != 200 || !strings.Contains(body, `name="code"`) {
		t.Fatalf("send code: %d", st)
	}
	e164 := "+82" + strings.TrimPrefix(strings.ReplaceAll(phone, "-", ""), "0")
	if st, _ := c.Post("/login/code", url.Values{"phone": {e164}, "code": {ta.LastCode(t, e164)}}); st != 200 {
		t.Fatalf("verify code: %d", st)
	}
}

// SignInStaff signs a demo staff account in with its password through the pages.
func (ta *App) SignInStaff(t testing.TB, c *Client, username string) {
	t.Helper()
	st, body := c.Post("/login/staff", url.Values{"username": {username}, "password": {ta.Staff[username]}})
	if st != 200 || !strings.Contains(body, "maeul_session") && !strings.Contains(body, "logout") {
		t.Fatalf("staff sign-in %s: %d", username, st)
	}
}

// SignInStaffBrowser signs a demo staff account in by keyboard (the page
// language must be Korean).
func (ta *App) SignInStaffBrowser(t *testing.T, b *browsertest.Browser, user string) {
	t.Helper()
	b.Visit(t, ta.Server.URL+"/login/staff")
	b.TabTo(t, "#f-username", 60)
	b.Type(t, user)
	b.TabTo(t, "#f-password", 5)
	b.Type(t, ta.Staff[user])
	b.PressNavigate(t, "Enter")
	// On a phone the sign-out button is on the menu page, not in the header.
	if out, err := chromedp.Run(b.Ctx(), chromedp.Evaluate[bool](`document.querySelector('header form[action="/logout"]') !== null`)); err != nil || !out {
		t.Fatalf("%s not signed in: %s", user, b.Text(t, "main"))
	}
}

// SignInCitizenBrowser signs a citizen in by phone and code with the
// keyboard (the page language must be Korean).
func (ta *App) SignInCitizenBrowser(t *testing.T, b *browsertest.Browser, phone string) {
	t.Helper()
	b.Visit(t, ta.Server.URL+"/login")
	b.TabTo(t, "#f-phone", 60)
	b.Type(t, phone)
	b.PressNavigate(t, "Enter")
	b.TabTo(t, "#f-code", 30)
	b.Type(t, ta.LastCode(t, "+82"+strings.TrimPrefix(strings.ReplaceAll(phone, "-", ""), "0")))
	b.PressNavigate(t, "Enter")
	if !strings.Contains(b.Text(t, "[role=status]"), "로그인했습니다") {
		t.Fatalf("not signed in: %s", b.Text(t, "main"))
	}
}

// CitizenPhones are n demo citizens' phone numbers, as people type them.
func (ta *App) CitizenPhones(t *testing.T, n int) []string {
	t.Helper()
	rows, err := ta.DB.Read().QueryContext(context.Background(), `SELECT phone FROM users WHERE role = 'citizen' AND phone <> '' ORDER BY id LIMIT $1`, n)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			t.Fatal(err)
		}
		out = append(out, auth.FormatPhone(p))
	}
	if len(out) < n {
		t.Fatalf("%d demo citizens", len(out))
	}
	return out
}
