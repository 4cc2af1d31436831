package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/app"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/demo"
	"github.com/maeul/maeul/internal/learn"
)

func runBench(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) > 0 && benchScenarios[args[0]] != nil {
		return benchScenarios[args[0]](ctx, args[1:], stdout)
	}
	fs := newFlags("bench", "bench [--db DSN] [--duration 10s] [--workers 8]\n\nOr one scenario: maeul bench funds-disburse [--residents N], maeul bench payments [--clients 200],\nmaeul bench places-nearest [--facilities 100000],\nmaeul bench coverage [--nodes 200000],\nmaeul bench gis-peers (our nearest and reach against PostGIS and pgRouting; bash tools/install-postgis.sh first)")
	dsn := fs.String("db", "", "database to use; empty: a fresh SQLite file in a temporary directory")
	duration := fs.Duration("duration", 10*time.Second, "how long to load each endpoint")
	workers := fs.Int("workers", 8, "concurrent clients (the load generator shares the machine: on 2 cores, 8 keep both busy without queueing)")
	regs := fs.Int("registrations", 2000, "registrations to make in the registration benchmark")
	if err := parse(fs, args); err != nil {
		return err
	}
	tmp, cleanup, err := tempDSN(*dsn)
	if err != nil {
		return err
	}
	defer cleanup()
	*dsn = tmp

	// 1. Demo generation, then the start-up time on the existing database.
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	res, err := demo.Generate(ctx, d, demo.Options{})
	if err != nil {
		return err
	}
	if res.Created {
		fmt.Fprintf(stdout, "demo generation        %8s  (%d citizens, %d sessions)\n", res.Took.Round(time.Millisecond), res.Citizens, res.Sessions)
	}
	d.Close()
	t0 := time.Now()
	d, err = openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := demo.Generate(ctx, d, demo.Options{}); err != nil {
		return err
	}
	a, err := app.New(d, app.Options{Demo: true})
	if err != nil {
		return err
	}
	base, client, stop, err := benchServe(a, *workers*2)
	if err != nil {
		return err
	}
	defer stop()
	if err := get(client, base+"/readyz"); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "start to first answer  %8s  (existing database, demo already present)\n", time.Since(t0).Round(time.Millisecond))

	// 2. Read load on the catalogue.
	for _, path := range []string{"/courses", "/api/v1/sessions", "/courses?theme=ai&page=2"} {
		r := load(ctx, client, *workers, *duration, func(c *http.Client) error { return get(c, base+path) })
		fmt.Fprintf(stdout, "GET %-24s %s\n", path, r)
	}

	// 3. Registrations through the API, then a check that nothing is overbooked.
	r, err := benchRegistrations(ctx, a, client, base, *workers, *regs)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "POST registrations     %s\n", r)
	return nil
}

type loadResult struct {
	n, failed int64
	took      time.Duration
	lat       []time.Duration
}

func (r loadResult) String() string {
	if len(r.lat) == 0 {
		return "no requests"
	}
	sort.Slice(r.lat, func(i, j int) bool { return r.lat[i] < r.lat[j] })
	q := func(p float64) time.Duration { return r.lat[int(p*float64(len(r.lat)-1))] }
	return fmt.Sprintf("%8.0f req/s  p50 %6s  p99 %6s  max %6s  (%d requests, %d failed)",
		float64(r.n)/r.took.Seconds(), q(0.50).Round(10*time.Microsecond), q(0.99).Round(10*time.Microsecond),
		r.lat[len(r.lat)-1].Round(10*time.Microsecond), r.n, r.failed)
}

// load runs do from workers goroutines for d and collects latencies.
func load(ctx context.Context, c *http.Client, workers int, d time.Duration, do func(*http.Client) error) loadResult {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var mu sync.Mutex
	var res loadResult
	var failed atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var lat []time.Duration
			for ctx.Err() == nil {
				t := time.Now()
				if err := do(c); err != nil {
					failed.Add(1)
				}
				lat = append(lat, time.Since(t))
			}
			mu.Lock()
			res.lat = append(res.lat, lat...)
			mu.Unlock()
		})
	}
	wg.Wait()
	res.took = time.Since(start)
	res.n = int64(len(res.lat))
	res.failed = failed.Load()
	return res
}

func get(c *http.Client, url string) error {
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return nil
}

// benchRegistrations signs in n demo-style citizens and has them register,
// spread over fresh 20-seat sessions, as fast as the workers can.
func benchRegistrations(ctx context.Context, a *app.App, client *http.Client, base string, workers, n int) (loadResult, error) {
	course, err := a.Learn.Courses(ctx, "")
	if err != nil || len(course) == 0 {
		return loadResult{}, errors.New("bench: no courses")
	}
	venues, err := a.Learn.Venues(ctx, "hub", "")
	if err != nil || len(venues) == 0 {
		return loadResult{}, errors.New("bench: no venues")
	}
	const perSession = 50 // 20 confirmed, 30 waitlisted each
	var sessions []int64
	start := time.Now().Add(30 * 24 * time.Hour).Truncate(time.Hour)
	for i := 0; i < (n+perSession-1)/perSession; i++ {
		s, err := a.Learn.ScheduleSession(ctx, learn.NewSession{Code: fmt.Sprintf("BENCH-%d-%d", start.Unix(), i), CourseID: course[0].ID,
			VenueID: venues[0].ID, StartsAt: start, EndsAt: start.Add(2 * time.Hour), Capacity: 20})
		if err != nil {
			return loadResult{}, err
		}
		sessions = append(sessions, s.ID)
	}
	actx := actor.With(ctx, &actor.Actor{Person: actor.Person{Name: "bench"}, Channel: "cli"})
	ns := make([]auth.NewUser, n)
	for i := range ns {
		ns[i] = auth.NewUser{Name: fmt.Sprintf("bench %d", i), Phone: fmt.Sprintf("+82109%03d%04d", start.Unix()%1000, i)}
	}
	var ids map[string]int64
	if err := a.DB.Tx(actx, func(tx *sql.Tx) error {
		var err error
		ids, err = a.Auth.Users.CreateCitizensTx(actx, tx, ns)
		return err
	}); err != nil {
		return loadResult{}, err
	}
	tokens := make([]string, 0, n)
	for _, nu := range ns {
		tok, _, err := a.Auth.Sessions.Issue(actx, auth.User{ID: ids[nu.Phone], Role: actor.Citizen, Name: nu.Name})
		if err != nil {
			return loadResult{}, err
		}
		tokens = append(tokens, tok)
	}
	out := runN(workers, n, func(i int) error {
		url := fmt.Sprintf("%s/api/v1/sessions/%d/registrations", base, sessions[i/perSession])
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(""))
		req.Header.Set("Cookie", auth.CookieName+"="+tokens[i]+"; maeul_csrf="+benchCSRF)
		req.Header.Set("X-CSRF-Token", benchCSRF)
		return benchSend(client, req, http.StatusCreated, "register")
	})
	over, err := a.Learn.Overbooked(ctx)
	if err != nil {
		return out, err
	}
	if over > 0 {
		return out, fmt.Errorf("bench: %d sessions are overbooked", over)
	}
	return out, nil
}

// benchCSRF is the double-submit token the benchmark's clients send.
const benchCSRF = "bench-csrf-token-0123456789abcdefghij"

// runPaced runs do(0..n-1) from workers goroutines at rate calls a second
// in all, as many people at their own tills would, rather than each as fast
// as the last answer allows: call i is due at i/rate, and its latency runs
// from when it was due, so a server that falls behind shows it in the
// figures instead of slowing the load down (no coordinated omission).
func runPaced(workers, n int, rate float64, do func(i int) error) loadResult {
	var next, failed atomic.Int64
	lat := make([]time.Duration, n)
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				due := time.Now()
				if rate > 0 {
					due = start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
					time.Sleep(time.Until(due))
				}
				if err := do(i); err != nil {
					failed.Add(1)
				}
				lat[i] = time.Since(due)
			}
		})
	}
	wg.Wait()
	return loadResult{n: int64(n), failed: failed.Load(), took: time.Since(start), lat: lat}
}

// runN runs do(0..n-1) from workers goroutines, each call as soon as a
// worker is free, and collects latencies.
func runN(workers, n int, do func(i int) error) loadResult { return runPaced(workers, n, 0, do) }

// startProfile starts a CPU profile into path ("": none) and returns what
// stops it and closes the file.
func startProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// tempDSN is dsn, or when it is empty a fresh SQLite database in a
// temporary directory, for a benchmark given no database; cleanup removes it.
func tempDSN(dsn string) (string, func(), error) {
	if dsn != "" {
		return dsn, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "maeul-bench")
	if err != nil {
		return "", nil, err
	}
	return "sqlite:" + filepath.Join(dir, "bench.db"), func() { os.RemoveAll(dir) }, nil
}

// benchOpen opens and migrates dsn, or a fresh SQLite file in a temporary
// directory when dsn is empty; done closes it and removes the file.
func benchOpen(ctx context.Context, dsn string) (d *db.DB, done func(), err error) {
	dsn, cleanup, err := tempDSN(dsn)
	if err != nil {
		return nil, nil, err
	}
	if d, err = openDB(ctx, dsn); err != nil {
		cleanup()
		return nil, nil, err
	}
	return d, func() { d.Close(); cleanup() }, nil
}

// benchServe serves h on a loopback port and returns its base URL, a client
// that keeps up to conns connections to it, and what stops the server.
func benchServe(h http.Handler, conns int) (base string, client *http.Client, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, nil, err
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}}
	return "http://" + ln.Addr().String(), client, func() { srv.Close() }, nil
}

// benchSend sends req and drains the answer, an error unless its status is
// want; what names the request in that error.
func benchSend(client *http.Client, req *http.Request, want int, what string) error {
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		return fmt.Errorf("%s: %s", what, resp.Status)
	}
	return nil
}
