package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/learn"
)

// TestTwoServeProcessesActAsOne starts two real `maeul serve` processes on
// one PostgreSQL database: a sign-in on one is valid on the other, 500
// registrations for 20 seats split across both confirm exactly 20, and both
// stop cleanly on SIGTERM.
func TestTwoServeProcessesActAsOne(t *testing.T) {
	t.Parallel()
	dsn := dbtest.PostgresDSN(t)
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildMaeul(t)
	demo := exec.Command(bin, "demo", "--db", dsn)
	demoOut, err := demo.CombinedOutput()
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, demoOut)
	}
	password := regexp.MustCompile(`(?m)^\s+operator\s+operator\s+(\S+)$`).FindSubmatch(demoOut)
	if password == nil {
		t.Fatalf("no operator password in:\n%s", demoOut)
	}

	a, b := startServe(t, bin, dsn), startServe(t, bin, dsn)

	// Sign in on A; the session works on B.
	form := strings.NewReader("username=operator&password=" + string(password[1]) + "&csrf=two-process-csrf-token-0123456789")
	req, _ := http.NewRequest(http.MethodPost, a.url+"/login/staff", form)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Cookie", "maeul_csrf=two-process-csrf-token-0123456789")
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session string
	for _, c := range resp.Cookies() {
		if c.Name == auth.CookieName {
			session = c.Value
		}
	}
	if session == "" {
		t.Fatalf("no session cookie from A (status %s)", resp.Status)
	}
	req, _ = http.NewRequest(http.MethodGet, b.url+"/api/v1/me", nil)
	req.Header.Set("Cookie", auth.CookieName+"="+session)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	me, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(me), `"role":"operator"`) {
		t.Fatalf("B does not know A's session: %s", me)
	}

	// 500 citizens race for 20 seats, alternating between A and B.
	ctx := context.Background()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	users := auth.NewUsers(d)
	svc := learn.New(d, users, nil)
	cs, err := svc.Courses(ctx, "ai")
	if err != nil || len(cs) == 0 {
		t.Fatal("no courses", err)
	}
	vs, err := svc.Venues(ctx, "hub", "")
	if err != nil || len(vs) == 0 {
		t.Fatal("no venues", err)
	}
	start := time.Now().Add(20 * 24 * time.Hour).Truncate(time.Hour)
	s, err := svc.ScheduleSession(ctx, learn.NewSession{Code: "TWO-PROC", CourseID: cs[0].ID, VenueID: vs[0].ID, StartsAt: start, EndsAt: start.Add(time.Hour), Capacity: 20})
	if err != nil {
		t.Fatal(err)
	}
	const n = 500
	ns := make([]auth.NewUser, n)
	for i := range ns {
		ns[i] = auth.NewUser{Name: fmt.Sprintf("경쟁 %d", i), Phone: fmt.Sprintf("+82108%07d", i)}
	}
	var ids map[string]int64
	if err := d.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		ids, err = users.CreateCitizensTx(ctx, tx, ns)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	sessions := auth.NewSessions(d)
	tokens := make([]string, n)
	for i, u := range ns {
		if tokens[i], _, err = sessions.Issue(ctx, auth.User{ID: ids[u.Phone], Role: actor.Citizen}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	failures := make(chan string, n)
	for i := range n {
		wg.Go(func() {
			base := a.url
			if i%2 == 1 {
				base = b.url
			}
			req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/sessions/%d/registrations", base, s.ID), nil)
			req.Header.Set("Cookie", auth.CookieName+"="+tokens[i]+"; maeul_csrf=two-process-csrf-token-0123456789")
			req.Header.Set("X-CSRF-Token", "two-process-csrf-token-0123456789")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				failures <- err.Error()
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				failures <- resp.Status
			}
		})
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Fatalf("registration failed: %s", f)
	}
	var confirmed, waiting int
	d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM registrations WHERE session_id = $1 AND status = 'confirmed'`, s.ID).Scan(&confirmed)
	d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM registrations WHERE session_id = $1 AND status = 'waitlisted'`, s.ID).Scan(&waiting)
	if confirmed != 20 || waiting != n-20 {
		t.Fatalf("confirmed %d, waitlisted %d; want 20 and %d", confirmed, waiting, n-20)
	}

	for _, p := range []*serveProc{a, b} {
		p.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- p.cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve did not stop cleanly on SIGTERM: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop within 30 s of SIGTERM")
		}
	}
}

type serveProc struct {
	cmd *exec.Cmd
	url string
}

func startServe(t *testing.T, bin, dsn string) *serveProc {
	t.Helper()
	cmd, addr, _ := startMaeul(t, bin, "Maeul is serving", "serve", "--db", dsn)
	return &serveProc{cmd: cmd, url: "http://" + addr}
}
