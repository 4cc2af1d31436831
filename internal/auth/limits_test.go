package auth

import (
	"context"
	"fmt"
	"sync"
	"testing"

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

