package notify_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/notify"
)

type book map[int64]notify.Contact

func (b book) Contact(_ context.Context, _ db.Querier, id int64) (notify.Contact, error) {
	c, ok := b[id]
	if !ok {
		return c, errors.New("no such user")
	}
	return c, nil
}

type recorder struct {
	mu   sync.Mutex
	sent []string
	fail bool
}

func (r *recorder) Deliver(_ context.Context, channel, to, subject, body string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail {
		return errors.New("gateway down")
	}
	r.sent = append(r.sent, channel+" "+to+" "+body)
	return nil
}

func users(t *testing.T, d *db.DB) {
	t.Helper()
	for _, id := range []int64{1, 2, 3} {
		if _, err := d.Exec(context.Background(), `INSERT INTO users (id, role, name, created_at) VALUES ($1, 'citizen', 'x', $2)`, id, db.Time(time.Now())); err != nil {
			t.Fatal(err)
		}
	}
}

func TestEnqueueFollowsPreferencesAndTransactions(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		users(t, d)
		sms, mail := &recorder{}, &recorder{}
		b := book{1: {Phone: "+821011112222", Lang: "ko"}, 2: {Phone: "+821033334444", Email: "b@example.org", Lang: "en"}, 3: {Lang: "ko"}}
		s := notify.New(d, b, map[string]notify.Driver{notify.SMS: sms, notify.Email: mail})
		ctx := context.Background()
		if err := s.SetPrefs(ctx, 2, map[string]string{"reminder": notify.Email, "waitlist": notify.None}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetPrefs(ctx, 2, map[string]string{"reminder": "pigeon"}); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("bad channel: %v", err)
		}
		msg := func(user int64, kind string) notify.Message {
			return notify.Message{UserID: user, Kind: kind, Subject: "learn.msg_subject", Body: "auth.code_sms_body", Args: []any{"123456"}}
		}
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			for _, m := range []notify.Message{msg(1, "reminder"), msg(2, "reminder"), msg(2, "waitlist"), msg(3, "reminder")} {
				if err := s.Enqueue(ctx, tx, m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// A rolled-back change sends nothing.
		d.Tx(ctx, func(tx *sql.Tx) error {
			s.Enqueue(ctx, tx, msg(1, "registration"))
			return errors.New("roll back")
		})
		n, err := s.DispatchPending(ctx)
		if err != nil || n != 2 {
			t.Fatalf("dispatched %d (%v), want 2: the opted-out and the unreachable get nothing", n, err)
		}
		if len(sms.sent) != 1 || sms.sent[0] != "sms +821011112222 [마을] 인증번호는 123456 입니다. 다른 사람에게 알려주지 마세요." {
			t.Fatalf("sms: %q", sms.sent)
		}
		if len(mail.sent) != 1 || mail.sent[0] != "email b@example.org [Maeul] Your code is 123456. Do not share it with anyone." {
			t.Fatalf("mail: %q", mail.sent)
		}
		if n, _ := s.DispatchPending(ctx); n != 0 {
			t.Fatalf("sent again: %d", n)
		}
		sms.fail = true
		s.SendDirect(ctx, "+821099998888", "ko", "login_code", "auth.code_sms_subject", "auth.code_sms_body", "654321")
		s.DispatchPending(ctx)
		out, _ := s.Outbox(ctx, "+821099998888", 1)
		if len(out) != 1 || out[0].Status != "failed" {
			t.Fatalf("failed delivery not recorded: %+v", out)
		}
	})
}

func TestHTTPSMSDriver(t *testing.T) {
	t.Parallel()
	var got map[string]string
	var auth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth = r.Header.Get("Authorization")
		json.NewDecoder(r.Body).Decode(&got)
		if got["to"] == "+820000" {
			w.WriteHeader(http.StatusBadGateway)
		}
	}))
	defer srv.Close()
	d := notify.HTTPSMSDriver{URL: srv.URL, Token: "secret"}
	if err := d.Deliver(context.Background(), notify.SMS, "+821012345678", "s", "본문"); err != nil {
		t.Fatal(err)
	}
	if got["to"] != "+821012345678" || got["text"] != "본문" || auth != "Bearer secret" {
		t.Fatalf("gateway got %v, %q", got, auth)
	}
	if err := d.Deliver(context.Background(), notify.SMS, "+820000", "s", "x"); err == nil {
		t.Fatal("a 502 from the gateway was not an error")
	}
}
