package app_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/app/apptest"
	"github.com/maeul/maeul/internal/db"
)

// TestOutboxAuditAndCardDeskInWords: the staff pages name kinds, statuses,
// actions and places in words, never as codes, and every subject in the
// outbox reads cleanly.
func TestOutboxAuditAndCardDeskInWords(t *testing.T) {
	t.Parallel()
	ta := apptest.SQLite(t)
	citizen := ta.Client(t)
	ta.SignInCitizen(t, citizen, ta.Phone) // a sign-in code in the outbox
	if _, err := ta.Notify.DispatchPending(context.Background()); err != nil {
		t.Fatal(err)
	}

	operator := ta.Client(t)
	ta.SignInStaff(t, operator, "operator")
	st, body := operator.Get("/admin/outbox")
	if st != 200 || !strings.Contains(body, "로그인 인증번호") || !strings.Contains(body, "보냄") || !strings.Contains(body, "마을 인증번호") {
		t.Fatalf("outbox: %d %s", st, body)
	}
	for _, raw := range []string{"%!", "EXTRA", ">login_code<", ">sent<", ">pending<", "(sms)"} {
		if strings.Contains(body, raw) {
			t.Errorf("the outbox shows %q", raw)
		}
	}

	// The card desk names the resident's district and living zone.
	st, body = operator.Get("/admin/cards?q=" + ta.Phone)
	if st != 200 || !strings.Contains(body, `id="res-h"`) {
		t.Fatalf("card desk: %d %s", st, body)
	}
	if m := regexp.MustCompile(`<dd>[^<]*\b(\d{5}|\d{5}-Z\d+)\b[^<]*</dd>`).FindString(body); m != "" {
		t.Errorf("the card desk shows a code: %s", m)
	}

	admin := ta.Client(t)
	ta.SignInStaff(t, admin, "admin")
	admin.Get("/admin/audit") // the first read is itself in the log the second time
	st, body = admin.Get("/admin/audit")
	if st != 200 || !strings.Contains(body, "보낸 알림 봄") || !strings.Contains(body, "개인정보 이용 기록 봄") {
		t.Fatalf("audit: %d %s", st, body)
	}
	for _, raw := range []string{"outbox.read", "audit.read", ">in_person<", ">outbox #", ">audit_log #"} {
		if strings.Contains(body, raw) {
			t.Errorf("the audit log shows %q", raw)
		}
	}
}

// TestStaffCannotReadSignInCodes (issue 15): a citizen asks for a sign-in
// code; the centre admin and the operator read the outbox page and its API
// and find the message — to whom, what kind, its status — but not the
// code, which is in no column of the outbox table either. The citizen, who
// got it, signs in with it.
func TestStaffCannotReadSignInCodes(t *testing.T) {
	t.Parallel()
	apptest.EachBackend(t, func(t *testing.T, ta *apptest.App) {
		citizen := ta.Client(t)
		phone := "010-6111-0001"
		e164 := "+821061110001"
		if st, body := citizen.Post("/login/phone", url.Values{"phone": {phone}}); st != 200 || !strings.Contains(body, `name="code"`) {
			t.Fatalf("send code: %d", st)
		}
		ta.Notify.DispatchPending(context.Background())
		code := ta.LastCode(t, e164)

		for _, who := range []string{"centre", "operator"} {
			staff := ta.Client(t)
			ta.SignInStaff(t, staff, who)
			for _, path := range []string{"/admin/outbox", "/admin/outbox?to=" + url.QueryEscape(e164), "/api/v1/outbox", "/api/v1/outbox?to=" + url.QueryEscape(e164)} {
				st, body := staff.Get(path)
				if st != 200 || !strings.Contains(body, "821061110001") { // the page escapes the +
					t.Fatalf("%s %s: %d, the message is not listed\n%s", who, path, st, body)
				}
				if strings.Contains(body, code) {
					t.Errorf("%s reads the live code %s on %s", who, code, path)
				}
			}
			if _, body := staff.Get("/api/v1/outbox?to=" + url.QueryEscape(e164)); !strings.Contains(body, `"kind":"login_code"`) || !strings.Contains(body, `"status":"sent"`) ||
				!strings.Contains(body, "인증번호는 (숨김) 입니다") {
				t.Errorf("the outbox API lost what it keeps of the message: %s", body)
			}
		}
		if all := outboxTable(t, ta.DB); strings.Contains(all, code) {
			t.Fatalf("the code %s is in the outbox table:\n%s", code, all)
		}

		if st, _ := citizen.Post("/login/code", url.Values{"phone": {e164}, "code": {code}}); st != 200 {
			t.Fatalf("the citizen cannot sign in with the code: %d", st)
		}
	})
}

// outboxTable is every column of every row of the outbox, as text.
func outboxTable(t *testing.T, d *db.DB) string {
	t.Helper()
	rows, err := d.Read().QueryContext(context.Background(), `SELECT * FROM outbox`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var all strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			fmt.Fprintf(&all, "%v\t", v)
		}
		all.WriteString("\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return all.String()
}
