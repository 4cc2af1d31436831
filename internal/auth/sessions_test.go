package auth

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
)

// signedIn issues a session for u and returns what loads it.
func signedIn(t *testing.T, s *Service, u User) (load func() *actor.Actor) {
	t.Helper()
	token, _, err := s.Sessions.Issue(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	req := httptestRequest(token)
	return func() *actor.Actor {
		a, err := s.Sessions.Load(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
}

// A staff session ends after a working day however busy, and after two
// idle hours; a citizen's slides on.
func TestStaffSessionsHaveAnAbsoluteLifetime(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		s, now := newTestService(t, d)
		ctx := context.Background()
		op, _ := s.Users.Create(ctx, NewUser{Role: actor.Operator, Name: "상담원", Username: "op1", Password: "long enough password"})
		cit, _ := s.Users.Create(ctx, NewUser{Role: actor.Citizen, Name: "시민", Phone: "010-3333-4445"})
		busy, citizen := signedIn(t, s, op), signedIn(t, s, cit)
		for h := 1; h < 12; h++ {
			*now = now.Add(time.Hour)
			if busy() == nil || citizen() == nil {
				t.Fatalf("a session in use ended after %d hours", h)
			}
		}
		*now = now.Add(time.Hour + time.Second)
		if busy() != nil {
			t.Fatal("a staff session outlived its working day")
		}
		if citizen() == nil {
			t.Fatal("a citizen's session in use ended")
		}
		idle := signedIn(t, s, op)
		*now = now.Add(2*time.Hour + time.Minute)
		if idle() != nil {
			t.Fatal("an idle staff session lasted over two hours")
		}
	})
}

// A new password or a stopped account ends the account's sessions; "sign
// out everywhere else" ends every one but the person's own.
func TestAccountChangesEndSessions(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		s, _ := newTestService(t, d)
		ctx := context.Background()
		admin, _ := s.Users.Create(ctx, NewUser{Role: actor.SysAdmin, Name: "관리자", Username: "root1", Password: "long enough password"})
		op, _ := s.Users.Create(ctx, NewUser{Role: actor.Operator, Name: "상담원", Username: "op2", Password: "long enough password"})
		a1, a2 := signedIn(t, s, op), signedIn(t, s, op)
		if err := s.SetPassword(ctx, "op2", "another long password"); err != nil {
			t.Fatal(err)
		}
		if a1() != nil || a2() != nil {
			t.Fatal("a session outlived the password change")
		}

		b1 := signedIn(t, s, op)
		root := signedIn(t, s, admin)()
		if err := s.SetDisabled(actor.With(ctx, b1()), op.ID, true); errs.CodeOf(err) != errs.Forbidden {
			t.Fatalf("an operator stopped an account: %v", err)
		}
		if err := s.SetDisabled(actor.With(ctx, root), admin.ID, true); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("an administrator stopped their own account: %v", err)
		}
		if err := s.SetDisabled(actor.With(ctx, root), op.ID, true); err != nil {
			t.Fatal(err)
		}
		if b1() != nil {
			t.Fatal("a session outlived the account's stop")
		}
		if _, err := s.CheckPassword(ctx, "op2", "another long password", "", "ip"); err == nil {
			t.Fatal("a stopped account signed in")
		}
		if err := s.SetDisabled(actor.With(ctx, root), op.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CheckPassword(ctx, "op2", "another long password", "", "ip"); err != nil {
			t.Fatalf("the account used again: %v", err)
		}
		var n int
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action IN ('user.disable', 'user.enable', 'user.password') AND subject_id = $1`, strconv.FormatInt(op.ID, 10)).Scan(&n)
		if n != 3 {
			t.Errorf("%d audit entries for the password, the stop and the start", n)
		}

		cit, _ := s.Users.Create(ctx, NewUser{Role: actor.Citizen, Name: "시민", Phone: "010-3333-4446"})
		phone, lost, here := signedIn(t, s, cit), signedIn(t, s, cit), signedIn(t, s, cit)
		ended, err := s.Sessions.EndOthers(actor.With(ctx, here()))
		if err != nil || ended != 2 {
			t.Fatalf("ended %d: %v", ended, err)
		}
		if phone() != nil || lost() != nil || here() == nil {
			t.Fatal("sign out everywhere else ended the wrong sessions")
		}
		if err := s.SetDisabled(actor.With(ctx, root), cit.ID, true); err != nil {
			t.Fatal(err)
		}
		if here() != nil {
			t.Fatal("a stopped citizen's session lasted")
		}
	})
}
