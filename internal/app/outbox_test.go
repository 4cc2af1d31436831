package app_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/db/dbtest"
)

// TestOutboxAuditAndCardDeskInWords: the staff pages name kinds, statuses,
// actions and places in words, never as codes, and every subject in the
// outbox reads cleanly.
func TestOutboxAuditAndCardDeskInWords(t *testing.T) {
	ta := newTestApp(t, dbtest.SQLite(t))
	citizen := ta.client(t)
	ta.signInCitizen(t, citizen, ta.phone) // a sign-in code in the outbox
	if _, err := ta.Notify.DispatchPending(context.Background()); err != nil {
		t.Fatal(err)
	}

	operator := ta.client(t)
	ta.signInStaff(t, operator, "operator")
	st, body := operator.get("/admin/outbox")
	if st != 200 || !strings.Contains(body, "로그인 인증번호") || !strings.Contains(body, "기록만 함") || !strings.Contains(body, "마을 인증번호") {
		t.Fatalf("outbox: %d %s", st, body)
	}
	for _, raw := range []string{"%!", "EXTRA", ">login_code<", ">recorded<", ">pending<", "(sms)"} {
		if strings.Contains(body, raw) {
			t.Errorf("the outbox shows %q", raw)
		}
	}

	// The card desk names the resident's district and living zone.
	st, body = operator.get("/admin/cards?q=" + ta.phone)
	if st != 200 || !strings.Contains(body, `id="res-h"`) {
		t.Fatalf("card desk: %d %s", st, body)
	}
	if m := regexp.MustCompile(`<dd>[^<]*\b(\d{5}|\d{5}-Z\d+)\b[^<]*</dd>`).FindString(body); m != "" {
		t.Errorf("the card desk shows a code: %s", m)
	}

	admin := ta.client(t)
	ta.signInStaff(t, admin, "admin")
	admin.get("/admin/audit") // the first read is itself in the log the second time
	st, body = admin.get("/admin/audit")
	if st != 200 || !strings.Contains(body, "보낸 알림 봄") || !strings.Contains(body, "개인정보 이용 기록 봄") {
		t.Fatalf("audit: %d %s", st, body)
	}
	for _, raw := range []string{"outbox.read", "audit.read", ">in_person<", ">outbox #", ">audit_log #"} {
		if strings.Contains(body, raw) {
			t.Errorf("the audit log shows %q", raw)
		}
	}
}
