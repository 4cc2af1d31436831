package statuslist

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// statusServer serves a Status List Token whose sub is its own URL and
// counts requests.
func statusServer(t *testing.T, k *ecdsa.PrivateKey, tok Token) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	var compact string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("Accept") != MediaType {
			http.Error(w, "bad accept", http.StatusNotAcceptable)
			return
		}
		w.Header().Set("Content-Type", MediaType)
		_, _ = w.Write([]byte(compact + "\n"))
	}))
	t.Cleanup(srv.Close)
	tok.Subject = srv.URL + "/lists/1"
	var err error
	if compact, err = Sign(tok, k, "k1"); err != nil {
		t.Fatal(err)
	}
	return srv, &hits
}

func TestFetcherHonoursTTL(t *testing.T) {
	t.Parallel()
	k := testKey(t)
	tok := sampleToken(t) // iat t0, ttl 1h, exp t0+24h
	srv, hits := statusServer(t, k, tok)
	clock := &fakeClock{t: t0}
	f := &Fetcher{Client: srv.Client(), Keys: keyFor(k), MaxCacheAge: 10 * time.Hour, Now: clock.Now}
	ref := Reference{Index: 7, URI: srv.URL + "/lists/1"}

	for range 3 {
		s, err := f.Status(context.Background(), ref)
		if err != nil {
			t.Fatal(err)
		}
		if s != Suspended {
			t.Fatalf("status = %d, want Suspended", s)
		}
	}
	if n := hits.Load(); n != 1 {
		t.Fatalf("requests within ttl = %d, want 1", n)
	}
	clock.Advance(59 * time.Minute)
	_, _ = f.Fetch(context.Background(), ref.URI)
	if n := hits.Load(); n != 1 {
		t.Fatalf("requests just before iat+ttl = %d, want 1", n)
	}
	clock.Advance(time.Minute)
	_, _ = f.Fetch(context.Background(), ref.URI)
	if n := hits.Load(); n != 2 {
		t.Fatalf("requests at iat+ttl = %d, want 2", n)
	}
}

func TestFetcherCapsAtMaxCacheAgeAndExp(t *testing.T) {
	t.Parallel()
	k := testKey(t)
	tok := sampleToken(t)
	tok.TTL = 0
	tok.ExpiresAt = t0.Add(30 * time.Minute)
	srv, hits := statusServer(t, k, tok)
	clock := &fakeClock{t: t0}
	f := &Fetcher{Client: srv.Client(), Keys: keyFor(k), MaxCacheAge: 25 * time.Minute, Now: clock.Now}
	uri := srv.URL + "/lists/1"

	fetch := func() {
		t.Helper()
		if _, err := f.Fetch(context.Background(), uri); err != nil {
			t.Fatal(err)
		}
	}
	fetch()
	clock.Advance(24 * time.Minute)
	fetch()
	if n := hits.Load(); n != 1 {
		t.Fatalf("requests within MaxCacheAge = %d, want 1", n)
	}
	clock.Advance(time.Minute) // t0+25m: MaxCacheAge reached
	fetch()
	if n := hits.Load(); n != 2 {
		t.Fatalf("requests after MaxCacheAge = %d, want 2", n)
	}
	clock.Advance(4 * time.Minute) // t0+29m: cached until exp (t0+30m), not t0+50m
	fetch()
	if n := hits.Load(); n != 2 {
		t.Fatalf("requests before exp = %d, want 2", n)
	}
	clock.Advance(time.Minute) // exp reached: the served token is now expired
	if _, err := f.Fetch(context.Background(), uri); !errors.Is(err, ErrExpired) {
		t.Fatalf("err after exp = %v, want ErrExpired", err)
	}
	if n := hits.Load(); n != 3 {
		t.Fatalf("requests after exp = %d, want 3", n)
	}
}

func TestFetcherNoCacheAlwaysFetches(t *testing.T) {
	t.Parallel()
	k := testKey(t)
	srv, hits := statusServer(t, k, sampleToken(t))
	clock := &fakeClock{t: t0}
	f := &Fetcher{Client: srv.Client(), Keys: keyFor(k), Now: clock.Now}
	uri := srv.URL + "/lists/1"
	for i := 1; i <= 5; i++ {
		if _, err := f.Fetch(context.Background(), uri); err != nil {
			t.Fatal(err)
		}
		if n := hits.Load(); n != int64(i) {
			t.Fatalf("after %d fetches: %d requests", i, n)
		}
	}
}

func TestFetcherConcurrent(t *testing.T) {
	t.Parallel()
	k := testKey(t)
	srv, hits := statusServer(t, k, sampleToken(t))
	clock := &fakeClock{t: t0}
	f := &Fetcher{Client: srv.Client(), Keys: keyFor(k), MaxCacheAge: time.Hour, Now: clock.Now}
	ref := Reference{Index: 3, URI: srv.URL + "/lists/1"}
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			if s, err := f.Status(context.Background(), ref); err != nil || s != Invalid {
				t.Errorf("Status = %d, %v", s, err)
			}
			clock.Advance(time.Second)
		})
	}
	wg.Wait()
	if hits.Load() == 0 || hits.Load() > 32 {
		t.Fatalf("requests = %d", hits.Load())
	}
}

func TestFetcherErrors(t *testing.T) {
	t.Parallel()
	k := testKey(t)
	tok := sampleToken(t)
	srv, _ := statusServer(t, k, tok)
	f := &Fetcher{Client: srv.Client(), Keys: keyFor(k), Now: func() time.Time { return t0 }}

	// The token's sub names /lists/1; fetching it from another path must fail.
	if _, err := f.Fetch(context.Background(), srv.URL+"/lists/1?copy"); !errors.Is(err, ErrSubject) {
		t.Errorf("sub mismatch: err = %v", err)
	}
	notFound := httptest.NewServer(http.NotFoundHandler())
	defer notFound.Close()
	if _, err := f.Fetch(context.Background(), notFound.URL); err == nil {
		t.Error("HTTP 404 accepted")
	}
	ref := Reference{Index: 1000, URI: srv.URL + "/lists/1"}
	if _, err := f.Status(context.Background(), ref); !errors.Is(err, ErrIndexOutOfRange) {
		t.Errorf("index beyond list: err = %v", err)
	}
	if _, err := (&Fetcher{}).Fetch(context.Background(), srv.URL); err == nil {
		t.Error("Fetcher without Keys accepted")
	}
}
