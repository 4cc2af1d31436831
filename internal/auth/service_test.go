package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth/totp"
	"github.com/maeul/maeul/internal/codehash"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/notify"
)

// testSecret stands for the platform's secret.
var testSecret = []byte("maeul auth test secret, 32 bytes")

// messages is where the test services' messages are written, as the demo's
// operator reads them (serve --notify-file).
var messages sync.Map // *Service -> string

func newTestService(t *testing.T, d *db.DB) (*Service, *time.Time) {
	t.Helper()
	users := NewUsers(d)
	now := time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)
	file := filepath.Join(t.TempDir(), "messages.jsonl")
	s := NewService(d, notify.New(d, users, map[string]notify.Driver{notify.SMS: notify.FileDriver{Path: file}}), testSecret)
	messages.Store(s, file)
	s.Now = func() time.Time { return now }
	s.Users.Now = s.Now
	s.Sessions.Now = s.Now
	return s, &now
}

var sixDigits = regexp.MustCompile(`\d{6}`)

// sentCode reads the newest code sent to phone from the messages file.
func sentCode(t *testing.T, s *Service, phone string) string {
	t.Helper()
	file, _ := messages.Load(s)
	msgs, err := notify.ReadFile(file.(string))
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Recipient == phone {
			return sixDigits.FindString(msgs[i].Body)
		}
	}
	t.Fatalf("no code sent to %s: %v", phone, err)
	return ""
}

// TestCodesAreKeptOnlyAsKeyedHashes: neither the outbox nor login_codes
// holds a sign-in code, nor a hash anyone can reverse by trying the 10^6
// codes: only the platform's secret checks one.
func TestCodesAreKeptOnlyAsKeyedHashes(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		s, _ := newTestService(t, d)
		ctx := context.Background()
		p, err := s.SendCode(ctx, "010-2222-5555", "ko", "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		code := sentCode(t, s, p)
		var stored string
		if err := d.QueryRow(ctx, `SELECT code_hash FROM login_codes WHERE phone = $1`, p).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		unkeyed := sha256.Sum256([]byte(p + "\x00" + code))
		if !strings.HasPrefix(stored, "v1:") || strings.Contains(stored, code) || strings.Contains(stored, hex.EncodeToString(unkeyed[:])) {
			t.Fatalf("stored %q for code %s", stored, code)
		}
		if stored != codehash.New(testSecret).Sum(codePurpose, p, code) {
			t.Fatal("the stored hash is not the keyed hash of the code")
		}
		var body string
		if err := d.QueryRow(ctx, `SELECT body FROM outbox WHERE recipient = $1`, p).Scan(&body); err != nil || strings.Contains(body, code) {
			t.Fatalf("outbox body %q (%v) holds code %s", body, err, code)
		}
		// Another platform secret cannot check it.
		other := NewService(d, s.notify, []byte("another platform secret, 32 by."))
		other.Now = s.Now
		if _, _, err := other.VerifyCode(ctx, p, code); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("a code checked under another secret: %v", err)
		}
		if _, _, err := s.VerifyCode(ctx, p, code); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCitizenCodeSignIn(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		s, now := newTestService(t, d)
		ctx := context.Background()
		p, err := s.SendCode(ctx, "010-2222-3333", "ko", "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		code := sentCode(t, s, p)
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		if _, _, err := s.VerifyCode(ctx, p, wrong); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("wrong code: %v", err)
		}
		u, created, err := s.VerifyCode(ctx, p, code)
		if err != nil || !created || u.Role != actor.Citizen {
			t.Fatalf("verify: %+v %v %v", u, created, err)
		}
		if _, _, err := s.VerifyCode(ctx, p, code); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("a used code was accepted again: %v", err)
		}
		// Five wrong tries lock a code even if the right one comes next.
		if _, err := s.SendCode(ctx, p, "ko", "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		code = sentCode(t, s, p)
		for range codeMaxAttempts {
			s.VerifyCode(ctx, p, wrong)
		}
		if _, _, err := s.VerifyCode(ctx, p, code); err == nil {
			t.Fatal("a locked code was accepted")
		}
		// Codes expire.
		if _, err := s.SendCode(ctx, p, "ko", "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		code = sentCode(t, s, p)
		*now = now.Add(codeTTL + time.Second)
		if _, _, err := s.VerifyCode(ctx, p, code); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("an expired code: %v", err)
		}
	})
}

func TestSendCodeIsRateLimited(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		s, now := newTestService(t, d)
		ctx := context.Background()
		for i := range codeSendsPerNumber.Max {
			if _, err := s.SendCode(ctx, "010-2222-4444", "ko", "192.0.2.9"); err != nil {
				t.Fatalf("send %d: %v", i, err)
			}
		}
		if _, err := s.SendCode(ctx, "010-2222-4444", "ko", "192.0.2.9"); errs.CodeOf(err) != errs.TooMany {
			t.Fatalf("sixth send: %v, want too many", err)
		}
		*now = now.Add(time.Hour + time.Minute)
		if _, err := s.SendCode(ctx, "010-2222-4444", "ko", "192.0.2.9"); err != nil {
			t.Fatalf("after an hour: %v", err)
		}
	})
}

func TestStaffPasswordAndTOTP(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		s, now := newTestService(t, d)
		ctx := context.Background()
		u, err := s.Users.Create(ctx, NewUser{Role: actor.CentreAdmin, Name: "관리자", Username: "boss", Password: "long enough password"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CheckPassword(ctx, "boss", "wrong password!", "", "ip"); errs.CodeOf(err) != errs.Unauthorized {
			t.Fatalf("wrong password: %v", err)
		}
		if _, err := s.CheckPassword(ctx, "nobody", "long enough password", "", "ip"); errs.CodeOf(err) != errs.Unauthorized {
			t.Fatalf("unknown user: %v", err)
		}
		if _, err := s.CheckPassword(ctx, "boss", "long enough password", "", "ip"); err != nil {
			t.Fatal(err)
		}
		secret, _ := totp.NewSecret()
		code, _ := totp.Code(secret, *now)
		actx := actor.With(ctx, &actor.Actor{Person: actor.Person{ID: u.ID, Role: actor.CentreAdmin}})
		if err := s.EnableTOTP(actx, secret, code, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CheckPassword(ctx, "boss", "long enough password", "", "ip"); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("missing TOTP: %v", err)
		}
		*now = now.Add(30 * time.Second)
		code, _ = totp.Code(secret, *now)
		if _, err := s.CheckPassword(ctx, "boss", "long enough password", code, "ip"); err != nil {
			t.Fatalf("right TOTP: %v", err)
		}
		if _, err := s.CheckPassword(ctx, "boss", "long enough password", code, "ip"); err == nil {
			t.Fatal("a TOTP code was accepted twice")
		}
		// Replacing the authenticator takes a code from the one in use,
		// and that code only once.
		*now = now.Add(30 * time.Second)
		secret2, _ := totp.NewSecret()
		code2, _ := totp.Code(secret2, *now)
		cur, _ := totp.Code(secret, *now)
		stale, _ := totp.Code(secret, now.Add(-time.Hour))
		for _, bad := range []string{"", stale, code} {
			if err := s.EnableTOTP(actx, secret2, code2, bad); errs.CodeOf(err) != errs.Invalid {
				t.Fatalf("replaced with current code %q: %v", bad, err)
			}
		}
		if err := s.EnableTOTP(actx, secret2, code2, cur); err != nil {
			t.Fatalf("replace with the current code: %v", err)
		}
		secret3, _ := totp.NewSecret()
		code3, _ := totp.Code(secret3, *now)
		if err := s.EnableTOTP(actx, secret3, code3, cur); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("the old authenticator's code replaced the new one: %v", err)
		}
		*now = now.Add(30 * time.Second)
		if _, err := s.CheckPassword(ctx, "boss", "long enough password", mustCode(t, secret2, *now), "ip"); err != nil {
			t.Fatalf("the new authenticator: %v", err)
		}
		// Wrong passwords from one address make that address wait; they
		// lock nothing (TestStaffPasswordsAreNeverLocked).
		for range passwordFreeFailures {
			s.CheckPassword(ctx, "boss", "nope nope nope", "", "ip2")
		}
		if _, err := s.CheckPassword(ctx, "boss", "long enough password", "", "ip2"); errs.CodeOf(err) != errs.TooMany {
			t.Fatalf("after five failures: %v", err)
		}
	})
}

func TestActingEndsAfterInactivity(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		s, now := newTestService(t, d)
		ctx := context.Background()
		op, _ := s.Users.Create(ctx, NewUser{Role: actor.Operator, Name: "상담원", Username: "op1", Password: "long enough password"})
		cit, _ := s.Users.Create(ctx, NewUser{Role: actor.Citizen, Name: "시민", Phone: "010-3333-4444"})
		token, _, err := s.Sessions.Issue(ctx, op)
		if err != nil {
			t.Fatal(err)
		}
		req := httptestRequest(token)
		a, err := s.Sessions.Load(ctx, req)
		if err != nil || a == nil {
			t.Fatalf("load: %v", err)
		}
		if err := s.Sessions.StartActing(actor.With(ctx, a), cit, actor.Phone); err != nil {
			t.Fatal(err)
		}
		if a, _ = s.Sessions.Load(ctx, req); a.ActingFor == nil || a.ActingFor.ID != cit.ID || a.Channel != actor.Phone {
			t.Fatalf("not acting: %+v", a)
		}
		*now = now.Add(ActingIdle + time.Minute)
		if a, _ = s.Sessions.Load(ctx, req); a == nil || a.ActingFor != nil {
			t.Fatalf("acting survived inactivity: %+v", a)
		}
		if err := s.Sessions.StartActing(actor.With(ctx, a), op, actor.Phone); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("acting for staff: %v", err)
		}
	})
}

func mustCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.Code(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
