package app_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// TestSessionsEndWhenTheyShould: the form token changes at sign-in; a
// citizen signs out of every other device from their account page; a
// system administrator stops a staff account from the staff page, which
// ends its sessions at once.
func TestSessionsEndWhenTheyShould(t *testing.T) {
	t.Parallel()
	ta := sqliteApp(t)
	c := ta.client(t)
	before := c.csrf()
	ta.signInCitizen(t, c, ta.phone)
	if after := c.csrf(); after == before {
		t.Error("the form token did not change at sign-in")
	}
	other := ta.client(t)
	ta.signInCitizen(t, other, ta.phone)
	if st, body := c.get("/account"); st != 200 || !strings.Contains(body, `action="/logout/others"`) {
		t.Fatalf("account page: %d", st)
	}
	if st, body := c.post("/logout/others", url.Values{}); st != 200 || !strings.Contains(body, "다른 기기와 브라우저의 로그인을 모두 끝냈습니다") {
		t.Fatalf("sign out everywhere else: %d %s", st, trim(body))
	}
	if st, _ := c.get("/account"); st != 200 {
		t.Fatalf("this device was signed out: %d", st)
	}
	if _, body := other.get("/api/v1/me"); !strings.Contains(body, `"user":null`) {
		t.Fatalf("the other device is still signed in: %s", body)
	}
	if _, body := c.get("/api/v1/me"); strings.Contains(body, `"user":null`) {
		t.Fatal("this device was signed out")
	}

	op := ta.client(t)
	ta.signInStaff(t, op, "operator")
	admin := ta.client(t)
	ta.signInStaff(t, admin, "admin")
	u, err := ta.Auth.Users.ByUsername(t.Context(), "operator")
	if err != nil {
		t.Fatal(err)
	}
	if st, body := admin.post(fmt.Sprintf("/admin/users/%d/disable", u.ID), url.Values{}); st != 200 || !strings.Contains(body, "계정 사용을 중지했습니다") {
		t.Fatalf("stop: %d %s", st, trim(body))
	}
	if _, body := op.get("/api/v1/me"); !strings.Contains(body, `"user":null`) {
		t.Fatal("the stopped operator's session lasted")
	}
	if st, _ := op.post(fmt.Sprintf("/admin/users/%d/enable", u.ID), url.Values{}); st == 200 {
		t.Fatal("a stopped operator enabled itself")
	}
	if st, body := admin.post(fmt.Sprintf("/admin/users/%d/enable", u.ID), url.Values{}); st != 200 || !strings.Contains(body, "다시 쓸 수 있게") {
		t.Fatalf("start: %d %s", st, trim(body))
	}
	ta.signInStaff(t, op, "operator")
}
