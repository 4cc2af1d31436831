package app_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/app/apptest"
)

var (
	menuGroupRe = regexp.MustCompile(`(?s)<details class="menu-group">\s*<summary[^>]*>([^<]+)</summary>(.*?)</details>`)
	menuLinkRe  = regexp.MustCompile(`<a href="([^"]+)"`)
	rawKeyRe    = regexp.MustCompile(`>[^<]*\b((?:home|nav|menu|needs|layout)\.[a-z_]+(?:\.[a-z_]+)*)\b`)
)

// menuOf reads the grouped menu of a page: each group's heading and links.
func menuOf(body string) (groups []string, links []string) {
	for _, m := range menuGroupRe.FindAllStringSubmatch(body, -1) {
		groups = append(groups, strings.TrimSpace(m[1]))
		for _, l := range menuLinkRe.FindAllStringSubmatch(m[2], -1) {
			links = append(links, l[1])
		}
	}
	return groups, links
}

// TestEveryRoleHasAHomeAndNoMenuItemFails signs in as every kind of account
// of the demo city, opens its home and then every entry of its menu: none
// may answer an error, a citizen sees at most six groups, and no page shows
// a catalogue key instead of words.
func TestEveryRoleHasAHomeAndNoMenuItemFails(t *testing.T) {
	t.Parallel()
	apptest.EachBackend(t, func(t *testing.T, ta *apptest.App) {
		type account struct {
			name string
			c    *apptest.Client
		}
		accounts := []account{{"anonymous", ta.Client(t)}}
		citizen := ta.Client(t)
		ta.SignInCitizen(t, citizen, ta.Phone)
		accounts = append(accounts, account{"citizen", citizen})
		newcomer := ta.Client(t)
		ta.SignInCitizen(t, newcomer, "010-9876-1234")
		accounts = append(accounts, account{"new citizen", newcomer})
		var staff []string
		for u := range ta.Staff {
			staff = append(staff, u)
		}
		sort.Strings(staff)
		seenRole := map[string]bool{}
		for _, u := range staff {
			c := ta.Client(t)
			ta.SignInStaff(t, c, u)
			_, body := c.Get("/account")
			role := regexp.MustCompile(`(?s)class="menu-group[^"]*account-tools">\s*<summary>[^<]*\(([^()]+)\)</summary>`).FindStringSubmatch(body)
			if role == nil || seenRole[role[1]] {
				continue // one account per role is enough
			}
			seenRole[role[1]] = true
			accounts = append(accounts, account{u, c})
		}
		if len(accounts) < 8 {
			t.Fatalf("only %d kinds of account", len(accounts))
		}
		for _, acc := range accounts {
			t.Run(acc.name, func(t *testing.T) {
				acc.c.T = t
				st, body := acc.c.Get("/")
				if st != http.StatusOK {
					t.Fatalf("home: %d\n%s", st, apptest.Trim(body))
				}
				if m := rawKeyRe.FindStringSubmatch(body); m != nil {
					t.Errorf("home shows the key %q", m[1])
				}
				groups, links := menuOf(body)
				if len(groups) == 0 {
					t.Fatal("no menu")
				}
				if strings.HasPrefix(acc.name, "anonymous") || strings.Contains(acc.name, "citizen") {
					if len(groups) > 6 {
						t.Errorf("a citizen's menu has %d groups: %v", len(groups), groups)
					}
				}
				if st, body := acc.c.Get("/menu?next=/"); st != 200 || !strings.Contains(body, groups[0]) {
					t.Errorf("menu page: %d", st)
				}
				for _, l := range links {
					st, body := acc.c.Get(l)
					if st != http.StatusOK {
						t.Errorf("menu entry %s answers %d\n%s", l, st, apptest.Trim(body))
						continue
					}
					if m := rawKeyRe.FindStringSubmatch(body); m != nil {
						t.Errorf("%s shows the key %q", l, m[1])
					}
				}
			})
		}
	})
}

// TestCitizenHomeSaysWhatToDoFirst: a citizen without a card is told how to
// get one on the home page, and the pages that need a card explain it and
// link to the card's page instead of answering an error.
func TestCitizenHomeSaysWhatToDoFirst(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	c := ta.Client(t)
	ta.SignInCitizen(t, c, "010-9876-4321")
	st, body := c.Get("/")
	if st != 200 || !strings.Contains(body, "내 마을") || !strings.Contains(body, "아직 시민카드가 없습니다") || !strings.Contains(body, `href="/my/card"`) {
		t.Fatalf("home: %d\n%s", st, apptest.Trim(body))
	}
	for _, p := range []string{"/points", "/my/grievances"} {
		st, body := c.Get(p)
		if st != 200 || !strings.Contains(body, "먼저 할 일이 있습니다") || !strings.Contains(body, `href="/my/card" data-main-action`) {
			t.Errorf("%s: %d\n%s", p, st, apptest.Trim(body))
		}
	}
	// The API still says it is a conflict, and where to go.
	st, body = c.Do("GET", "/points", nil, map[string]string{"Accept": "application/json"})
	if st != http.StatusConflict || !strings.Contains(body, `"next":"/my/card"`) {
		t.Errorf("points as JSON: %d %s", st, body)
	}
}

// TestTogglesAndSignInComeBack: the display toggles, the language switch
// and sign-in bring the person back to the page they were on, with its
// query; a script's toggle does not leave the page at all; nothing sends
// anyone off the site.
func TestTogglesAndSignInComeBack(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	c := ta.Client(t)
	c.HTTP.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	location := func(method, path string, form url.Values, header map[string]string) string {
		t.Helper()
		req, _ := http.NewRequest(method, c.Base+path, nil)
		if form != nil {
			form.Set("csrf", c.CSRF())
			req, _ = http.NewRequest(method, c.Base+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := c.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.Header.Get("Location")
	}
	page := "/places?q=%ED%95%B4%EC%9A%B4%EB%8C%80%EA%B5%AC+%EC%9A%B0%EB%8F%99&category=library"
	_, body := c.Get(page)
	if m := regexp.MustCompile(`name="next" value="([^"]+)"`).FindStringSubmatch(body); m == nil || html.UnescapeString(m[1]) != page {
		t.Fatalf("the toggles do not carry the page and its query: %v", m)
	}
	if got := location("POST", "/prefs", url.Values{"toggle": {"text"}, "next": {page}}, nil); got != page {
		t.Errorf("large text came back to %q, want %q", got, page)
	}
	if got := location("GET", "/lang/en?next="+url.QueryEscape(page), nil, nil); got != page {
		t.Errorf("language came back to %q", got)
	}
	if got := location("POST", "/prefs", url.Values{"toggle": {"text"}, "next": {"//evil.example/x"}}, nil); got != "/" {
		t.Errorf("an outside next went to %q", got)
	}
	// With a script the toggle answers 204 and the page stays.
	req, _ := http.NewRequest("POST", c.Base+"/prefs", strings.NewReader(url.Values{"toggle": {"contrast"}, "csrf": {c.CSRF()}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("scripted toggle: %d", resp.StatusCode)
	}
	if _, body := c.Get("/"); !strings.Contains(body, "high-contrast") {
		t.Errorf("the scripted toggle did not stick")
	}
	// The sign-in link of a page comes back to it.
	_, body = c.Get(page)
	if m := regexp.MustCompile(`class="button login-button" href="([^"]+)"`).FindStringSubmatch(body); m == nil || html.UnescapeString(m[1]) != "/login?next="+url.QueryEscape(page) {
		t.Errorf("the sign-in link does not come back to the page")
	}
}

// TestEveryStaffRoleCanTurnOnTwoFactor: the authenticator page opens for
// every role that signs in with a password.
func TestEveryStaffRoleCanTurnOnTwoFactor(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	for u := range ta.Staff {
		c := ta.Client(t)
		ta.SignInStaff(t, c, u)
		if st, body := c.Get("/account/totp"); st != 200 {
			t.Errorf("%s: /account/totp answers %d\n%s", u, st, apptest.Trim(body))
		}
	}
	c := ta.Client(t)
	ta.SignInCitizen(t, c, ta.Phone)
	if st, _ := c.Get("/account/totp"); st != http.StatusForbidden {
		t.Errorf("a citizen's /account/totp answers %d", st)
	}
}

// TestStaffAreOfferedOnlyWhatTheirRoleMay: the card desk offers revoking a
// card only to the roles that may revoke, so an operator meets no button
// that would answer 403.
func TestStaffAreOfferedOnlyWhatTheirRoleMay(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	page := "/admin/cards?q=" + url.QueryEscape(ta.Phone)
	for user, may := range map[string]bool{"operator": false, "guide": false, "centre": true} {
		c := ta.Client(t)
		ta.SignInStaff(t, c, user)
		st, body := c.Get(page)
		if st != 200 {
			t.Fatalf("%s: %s answers %d", user, page, st)
		}
		if got := strings.Contains(body, `value="revoked"`); got != may {
			t.Errorf("%s is offered revoking: %v, want %v", user, got, may)
		}
	}
}

// TestHomeInTheAPI: a partner app gets the same home as the page.
func TestHomeInTheAPI(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	c := ta.Client(t)
	if st, _ := c.Get("/api/v1/me/home"); st != http.StatusUnauthorized {
		t.Errorf("anonymous: %d", st)
	}
	ta.SignInCitizen(t, c, "010-9876-5555")
	st, body := c.Get("/api/v1/me/home")
	var home struct {
		Kind   string `json:"kind"`
		Blocks []struct {
			Title  string `json:"title"`
			Action *struct{ Label, Href string }
			Count  *int `json:"count"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal([]byte(body), &home); st != 200 || err != nil || home.Kind != "citizen" {
		t.Fatalf("citizen's home: %d %v %s", st, err, body)
	}
	var card bool
	for _, b := range home.Blocks {
		if b.Title == "내 시민카드" && b.Action != nil && b.Action.Href == "/my/card" && b.Action.Label == "시민카드 받기" {
			card = true
		}
	}
	if !card {
		t.Errorf("no card block with its next step: %s", body)
	}
	staff := ta.Client(t)
	ta.SignInStaff(t, staff, "funds")
	_, body = staff.Get("/api/v1/me/home")
	if err := json.Unmarshal([]byte(body), &home); err != nil || home.Kind != "staff" || len(home.Blocks) == 0 || home.Blocks[0].Count == nil {
		t.Errorf("staff's home: %v %s", err, body)
	}
}
