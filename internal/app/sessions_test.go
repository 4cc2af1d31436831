package app_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/app/apptest"
)

// TestSessionsEndWhenTheyShould: the form token changes at sign-in; a
// citizen signs out of every other device from their account page; a
// system administrator stops a staff account from the staff page, which
// ends its sessions at once.
func TestSessionsEndWhenTheyShould(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	c := ta.Client(t)
	before := c.CSRF()
	ta.SignInCitizen(t, c, ta.Phone)
	if after := c.CSRF(); after == before {
		t.Error("the form token did not change at sign-in")
	}
	other := ta.Client(t)
	ta.SignInCitizen(t, other, ta.Phone)
	if st, body := c.Get("/account"); st != 200 || !strings.Contains(body, `action="/logout/others"`) {
		t.Fatalf("account page: %d", st)
	}
	if st, body := c.Post("/logout/others", url.Values{}); st != 200 || !strings.Contains(body, "다른 기기와 브라우저의 로그인을 모두 끝냈습니다") {
		t.Fatalf("sign out everywhere else: %d %s", st, apptest.Trim(body))
	}
	if st, _ := c.Get("/account"); st != 200 {
		t.Fatalf("this device was signed out: %d", st)
	}
	if _, body := other.Get("/api/v1/me"); !strings.Contains(body, `"user":null`) {
		t.Fatalf("the other device is still signed in: %s", body)
	}
	if _, body := c.Get("/api/v1/me"); strings.Contains(body, `"user":null`) {
		t.Fatal("this device was signed out")
	}

	op := ta.Client(t)
	ta.SignInStaff(t, op, "operator")
	admin := ta.Client(t)
	ta.SignInStaff(t, admin, "admin")
	u, err := ta.Auth.Users.ByUsername(t.Context(), "operator")
	if err != nil {
		t.Fatal(err)
	}
	if st, body := admin.Post(fmt.Sprintf("/admin/users/%d/disable", u.ID), url.Values{}); st != 200 || !strings.Contains(body, "계정 사용을 중지했습니다") {
		t.Fatalf("stop: %d %s", st, apptest.Trim(body))
	}
	if _, body := op.Get("/api/v1/me"); !strings.Contains(body, `"user":null`) {
		t.Fatal("the stopped operator's session lasted")
	}
	if st, _ := op.Post(fmt.Sprintf("/admin/users/%d/enable", u.ID), url.Values{}); st == 200 {
		t.Fatal("a stopped operator enabled itself")
	}
	if st, body := admin.Post(fmt.Sprintf("/admin/users/%d/enable", u.ID), url.Values{}); st != 200 || !strings.Contains(body, "다시 쓸 수 있게") {
		t.Fatalf("start: %d %s", st, apptest.Trim(body))
	}
	ta.SignInStaff(t, op, "operator")
}
