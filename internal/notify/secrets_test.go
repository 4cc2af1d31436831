package notify_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/notify"
)

// outboxText is every column of every outbox row, as text.
func outboxText(t *testing.T, d *db.DB) string {
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

// TestSecretsAreSentButNotKept: a sign-in code reaches its driver before
// SendDirect returns, and the outbox keeps its kind, recipient, subject and
// status with the code masked — in no column of the table.
func TestSecretsAreSentButNotKept(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		sms := &recorder{}
		s := notify.New(d, book{}, map[string]notify.Driver{notify.SMS: sms})
		if err := s.SendDirect(ctx, "+821099990000", "ko", notify.KindLoginCode, "auth.code_sms_subject", "auth.code_sms_body", "864213"); err != nil {
			t.Fatal(err)
		}
		if len(sms.sent) != 1 || !strings.Contains(sms.sent[0], "864213") {
			t.Fatalf("the code did not reach the driver at once: %q", sms.sent)
		}
		out, err := s.Outbox(ctx, "+821099990000", 10)
		if err != nil || len(out) != 1 {
			t.Fatalf("outbox %+v %v", out, err)
		}
		m := out[0]
		if m.Kind != notify.KindLoginCode || m.Status != notify.StatusSent || m.Recipient != "+821099990000" || m.Subject != "마을 인증번호" {
			t.Fatalf("the outbox lost what it must keep: %+v", m)
		}
		if m.Body != "[마을] 인증번호는 (숨김) 입니다. 다른 사람에게 알려주지 마세요." {
			t.Fatalf("body %q", m.Body)
		}
		if all := outboxText(t, d); strings.Contains(all, "864213") {
			t.Fatalf("the code is in the outbox table:\n%s", all)
		}
		if n, err := s.DispatchPending(ctx); n != 0 || err != nil || len(sms.sent) != 1 {
			t.Fatalf("the dispatcher sent the code again: %d %v", n, err)
		}

		// Failing and driverless deliveries keep no code either.
		sms.fail = true
		s.SendDirect(ctx, "+821099990001", "en", notify.KindLoginCode, "auth.code_sms_subject", "auth.code_sms_body", "777111")
		quiet := notify.New(d, book{}, nil)
		quiet.SendDirect(ctx, "+821099990002", "en", notify.KindLoginCode, "auth.code_sms_subject", "auth.code_sms_body", "777222")
		out, _ = s.Outbox(ctx, "", 10)
		if out[0].Status != notify.StatusRecorded || out[1].Status != notify.StatusFailed || out[1].Body != "[Maeul] Your code is (hidden). Do not share it with anyone." {
			t.Fatalf("outbox %+v", out)
		}
		if all := outboxText(t, d); strings.Contains(all, "777111") || strings.Contains(all, "777222") {
			t.Fatalf("a code is in the outbox table:\n%s", all)
		}

		// A secret cannot wait in the outbox for the dispatcher.
		users(t, d)
		err = d.Tx(ctx, func(tx *sql.Tx) error {
			return s.Enqueue(ctx, tx, notify.Message{UserID: 1, Kind: notify.KindLoginCode, Subject: "auth.code_sms_subject", Body: "auth.code_sms_body", Args: []any{"1"}})
		})
		if err == nil {
			t.Fatal("a secret was queued")
		}

		// One queued by an earlier version is sent once, then forgotten.
		sms.fail = false
		if _, err := d.Exec(ctx, `INSERT INTO outbox (channel, recipient, kind, subject, body, status, created_at) VALUES ('sms', '+821099990003', 'login_code', 's', 'code 555000', 'pending', $1)`, db.Time(time.Now())); err != nil {
			t.Fatal(err)
		}
		if n, err := s.DispatchPending(ctx); n != 1 || err != nil || !strings.Contains(sms.sent[len(sms.sent)-1], "555000") {
			t.Fatalf("dispatch %d %v %q", n, err, sms.sent)
		}
		if all := outboxText(t, d); strings.Contains(all, "555000") {
			t.Fatalf("a dispatched code stayed in the outbox:\n%s", all)
		}
	})
}

func TestFileDriver(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "messages.jsonl")
	// A file left with a looser mode is closed to others at the first message.
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	d := notify.FileDriver{Path: path}
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			body := fmt.Sprintf("[마을] 인증번호는 %06d 입니다.\n\"두 줄\"", i)
			if err := d.Deliver(ctx, notify.SMS, "+821012345678", "마을 인증번호", body); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	d.Deliver(ctx, notify.Email, "a@example.org", "subject", "last")
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v %v, want 0600", info.Mode(), err)
	}
	msgs, err := notify.ReadFile(path)
	if err != nil || len(msgs) != 51 {
		t.Fatalf("%d messages, %v", len(msgs), err)
	}
	seen := map[string]bool{}
	for _, m := range msgs[:50] {
		if m.Channel != notify.SMS || m.Recipient != "+821012345678" || m.Subject != "마을 인증번호" || m.Time.IsZero() || !strings.HasSuffix(m.Body, "\n\"두 줄\"") {
			t.Fatalf("line %+v", m)
		}
		seen[m.Body] = true
	}
	if len(seen) != 50 || msgs[50].Body != "last" || msgs[50].Recipient != "a@example.org" {
		t.Fatalf("lines lost or mixed: %d, %+v", len(seen), msgs[50])
	}

	// A new file is made 0600 too; a path that cannot be written is an error.
	fresh := filepath.Join(t.TempDir(), "new.jsonl")
	if err := (notify.FileDriver{Path: fresh}).Deliver(ctx, notify.SMS, "x", "s", "b"); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(fresh); info.Mode().Perm() != 0o600 {
		t.Fatalf("new file mode %v", info.Mode())
	}
	if err := (notify.FileDriver{Path: filepath.Join(t.TempDir(), "no", "such", "dir")}).Deliver(ctx, notify.SMS, "x", "s", "b"); err == nil {
		t.Fatal("writing to a missing directory succeeded")
	}
}
