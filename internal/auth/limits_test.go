package auth

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth/totp"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
)

// atOnce runs fn n times in goroutines released together, and returns
// their errors.
func atOnce(n int, fn func(i int) error) []error {
	out := make([]error, n)
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			out[i] = fn(i)
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
	return out
}

func keys(errList []error) map[string]int {
	m := map[string]int{}
	for _, err := range errList {
		switch e, ok := errs.As(err); {
		case err == nil:
			m["ok"]++
		case ok:
			m[e.Key]++
		default:
			m["internal: "+err.Error()]++
		}
	}
	return m
}

// Guesses of a sign-in code made at the same moment are no more than
// codeMaxAttempts: on PostgreSQL 8 to 12 of 5 used to be compared, since
// each read the count before any had added to it.
func TestCodeGuessesMadeAtOnceAreCountedExactly(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		s, _ := newTestService(t, d)
		ctx := context.Background()
		p, err := s.SendCode(ctx, "010-2222-6666", "ko", "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		code := sentCode(t, s, p)
		got := keys(atOnce(24, func(i int) error {
			guess := fmt.Sprintf("%06d", i)
			if guess == code {
				guess = "999999"
			}
			_, _, err := s.VerifyCode(ctx, p, guess)
			return err
		}))
		if got["auth.code_wrong"] != codeMaxAttempts || got["auth.code_locked"] != 24-codeMaxAttempts {
			t.Fatalf("24 guesses at once: %v; want %d compared and the rest refused", got, codeMaxAttempts)
		}
		if _, _, err := s.VerifyCode(ctx, p, code); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("the right code after five wrong guesses: %v", err)
		}

		// The right code among guesses made at once signs in once.
		if _, err := s.SendCode(ctx, p, "ko", "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		code = sentCode(t, s, p)
		got = keys(atOnce(8, func(int) error {
			_, _, err := s.VerifyCode(ctx, p, code)
			return err
		}))
		if got["ok"] != 1 {
			t.Fatalf("the right code sent 8 times at once: %v", got)
		}
	})
}

func TestLimitsAreExactUnderConcurrency(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		l := NewLimits(d)
		now := time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)
		l.Now = func() time.Time { return now }
		ctx := context.Background()
		lim := Limit{Max: 5, Per: time.Hour}
		got := keys(atOnce(30, func(int) error { return l.Allow(ctx, "b", lim) }))
		if got["ok"] != lim.Max || got["error.too_many_wait"] != 30-lim.Max {
			t.Fatalf("30 at once against 5: %v", got)
		}
		// A refusal says when the oldest attempt leaves the window.
		now = now.Add(40 * time.Minute)
		err := l.Allow(ctx, "b", lim)
		if e, ok := errs.As(err); !ok || e.Code != errs.TooMany || e.RetryAfter != 20*time.Minute {
			t.Fatalf("refusal: %#v", err)
		}
		// Refused attempts were not counted: the window frees on time.
		now = now.Add(20*time.Minute + time.Second)
		if err := l.Allow(ctx, "b", lim); err != nil {
			t.Fatal(err)
		}
		// A ticket given back frees its place.
		tk, err := l.Take(ctx, "c", Limit{Max: 1, Per: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		if err := tk.Return(ctx); err != nil {
			t.Fatal(err)
		}
		if err := l.Allow(ctx, "c", Limit{Max: 1, Per: time.Hour}); err != nil {
			t.Fatalf("after the ticket's return: %v", err)
		}
	})
}

// An attacker hammering a staff account from one address does not stop the
// real person signing in from another with the right password and code: the
// attacker's own tries wait longer and longer, and nothing is locked.
func TestStaffPasswordsAreNeverLocked(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		s, now := newTestService(t, d)
		ctx := context.Background()
		const pw = "long enough password"
		u, err := s.Users.Create(ctx, NewUser{Role: actor.CentreAdmin, Name: "관리자", Username: "boss", Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		secret, _ := totp.NewSecret()
		code, _ := totp.Code(secret, *now)
		if err := s.EnableTOTP(actor.With(ctx, &actor.Actor{Person: actor.Person{ID: u.ID, Role: actor.CentreAdmin}}), secret, code, ""); err != nil {
			t.Fatal(err)
		}
		signIn := func(addr string) error {
			*now = now.Add(30 * time.Second) // a fresh TOTP step
			code, _ := totp.Code(secret, *now)
			_, err := s.CheckPassword(ctx, "boss", pw, code, addr)
			return err
		}

		// The attacker hammers; the real person, from another address,
		// gets in all the same.
		attacker := "198.51.100.66"
		for i := range passwordFreeFailures {
			if _, err := s.CheckPassword(ctx, "boss", fmt.Sprintf("guess %d", i), "", attacker); errs.CodeOf(err) != errs.Unauthorized {
				t.Fatalf("guess %d: %v", i, err)
			}
		}
		for i := range 30 {
			s.CheckPassword(ctx, "boss", fmt.Sprintf("guess %d", i), "", attacker)
		}
		if err := signIn("203.0.113.9"); err != nil {
			t.Fatalf("the real person after the attacker's 35 tries: %v", err)
		}

		// The attacker's tries wait, twice as long each time.
		s.limit.Reset(ctx, "pw:boss@"+attacker)
		for i := range passwordFreeFailures {
			if _, err := s.CheckPassword(ctx, "boss", fmt.Sprintf("guess %d", i), "", attacker); errs.CodeOf(err) != errs.Unauthorized {
				t.Fatalf("guess %d: %v", i, err)
			}
		}
		var waits []time.Duration
		for i := range 6 {
			_, err := s.CheckPassword(ctx, "boss", "another guess", "", attacker)
			e, ok := errs.As(err)
			if !ok || e.Code != errs.TooMany || e.Key != "auth.password_wait" || e.RetryAfter <= 0 {
				t.Fatalf("hammering %d: %v", i, err)
			}
			waits = append(waits, e.RetryAfter)
			*now = now.Add(e.RetryAfter) // waits, and fails again
			if _, err := s.CheckPassword(ctx, "boss", "yet another", "", attacker); errs.CodeOf(err) != errs.Unauthorized {
				t.Fatalf("after waiting %v: %v", e.RetryAfter, err)
			}
		}
		for i := 1; i < len(waits); i++ {
			if waits[i] != 2*waits[i-1] {
				t.Fatalf("waits %v do not double", waits)
			}
		}
		// Meanwhile the real person, from another address, gets in.
		if err := signIn("203.0.113.10"); err != nil {
			t.Fatalf("the real person during the attack: %v", err)
		}
		// Even the right password waits its turn from the attacker's address.
		if err := signIn(attacker); errs.CodeOf(err) != errs.TooMany {
			t.Fatalf("from the attacker's address: %v", err)
		}

		// Many addresses guessing a little each: the account is under
		// attack, and each address gets one free failure only.
		for i := range accountAttackedAfter {
			s.CheckPassword(ctx, "boss", "botnet guess", "", fmt.Sprintf("192.0.2.%d", 100+i))
		}
		if _, err := s.CheckPassword(ctx, "boss", "botnet again", "", "192.0.2.100"); errs.CodeOf(err) != errs.TooMany {
			t.Fatalf("a second guess from a botnet address: %v", err)
		}
		// The real person's first try still counts: the right one gets in.
		if err := signIn("203.0.113.11"); err != nil {
			t.Fatalf("the real person under a distributed attack: %v", err)
		}
		// And after a typo, only a short wait.
		if _, err := s.CheckPassword(ctx, "boss", "typo", "", "203.0.113.12"); errs.CodeOf(err) != errs.Unauthorized {
			t.Fatal(err)
		}
		err = signIn("203.0.113.12")
		if e, ok := errs.As(err); ok && e.Code == errs.TooMany {
			if e.RetryAfter > passwordFirstWait {
				t.Fatalf("after one typo under attack: wait %v", e.RetryAfter)
			}
			*now = now.Add(e.RetryAfter)
			err = signIn("203.0.113.12")
		}
		if err != nil {
			t.Fatalf("after a typo and the wait: %v", err)
		}
	})
}

// Wrong passwords sent at once from one address are no more than the free
// ones: the rest wait, as if they had come one after another.
func TestPasswordGuessesMadeAtOnce(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		s, _ := newTestService(t, d)
		ctx := context.Background()
		if _, err := s.Users.Create(ctx, NewUser{Role: actor.Operator, Name: "상담원", Username: "op1", Password: "long enough password"}); err != nil {
			t.Fatal(err)
		}
		got := keys(atOnce(12, func(i int) error {
			_, err := s.CheckPassword(ctx, "op1", fmt.Sprintf("guess %d", i), "", "198.51.100.7")
			return err
		}))
		if got["auth.bad_credentials"] > passwordFreeFailures || got["auth.bad_credentials"]+got["auth.password_wait"] != 12 {
			t.Fatalf("12 guesses at once: %v", got)
		}
	})
}

// Codes to numbers nobody asked for before are limited per address and per
// number block; the sender's refusal takes nothing from a number's allowance.
func TestSMSPumpingIsLimited(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		s, now := newTestService(t, d)
		ctx := context.Background()
		// One address, new numbers in many blocks.
		for i := range codeNewPerAddress.Max {
			if _, err := s.SendCode(ctx, fmt.Sprintf("010-%04d-0001", 3000+i), "ko", "198.51.100.1"); err != nil {
				t.Fatalf("new number %d: %v", i, err)
			}
		}
		_, err := s.SendCode(ctx, "010-3999-0001", "ko", "198.51.100.1")
		if e, ok := errs.As(err); !ok || e.Code != errs.TooMany || e.Key != "auth.code_send_wait" || e.RetryAfter != time.Hour {
			t.Fatalf("one new number too many: %v", err)
		}
		// A number this address already texted is not new to it.
		if _, err := s.SendCode(ctx, "010-3000-0001", "ko", "198.51.100.1"); err != nil {
			t.Fatalf("a number asked for again: %v", err)
		}
		// The refused sender took nothing from the number it asked for.
		for i := range codeSendsPerNumber.Max {
			if _, err := s.SendCode(ctx, "010-3999-0001", "ko", fmt.Sprintf("203.0.113.%d", i)); err != nil {
				t.Fatalf("send %d to the number refused to the other address: %v", i, err)
			}
		}

		// Many addresses, new numbers in one block (010-4444-…).
		for i := range codeNewPerPrefix.Max {
			if _, err := s.SendCode(ctx, fmt.Sprintf("010-4444-%04d", i), "ko", fmt.Sprintf("192.0.2.%d", i)); err != nil {
				t.Fatalf("block number %d: %v", i, err)
			}
		}
		if _, err := s.SendCode(ctx, "010-4444-9999", "ko", "192.0.2.200"); errs.CodeOf(err) != errs.TooMany {
			t.Fatalf("one number of the block too many: %v", err)
		}
		// Another block is not held back, nor, after the hour, this one.
		if _, err := s.SendCode(ctx, "010-4445-0000", "ko", "192.0.2.201"); err != nil {
			t.Fatal(err)
		}
		*now = now.Add(time.Hour + time.Second)
		if _, err := s.SendCode(ctx, "010-4444-9999", "ko", "192.0.2.200"); err != nil {
			t.Fatalf("after the hour: %v", err)
		}
	})
}
