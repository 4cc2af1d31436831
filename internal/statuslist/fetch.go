package statuslist

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// MediaType is the content type a status endpoint serves a JWT Status List
// Token with.
const MediaType = "application/statuslist+jwt"

// maxBodyBytes bounds the HTTP response; a token whose "lst" decompresses to
// MaxDecodedBytes compresses to far less than this.
const maxBodyBytes = 4 << 20

// Fetcher retrieves and verifies Status List Tokens for a verifier, caching
// each verified token until the earliest of its "exp", its "iat"+"ttl" and
// the fetch time plus MaxCacheAge. A zero MaxCacheAge disables the cache, so
// every lookup goes to the network: some verifiers must see revocations
// immediately. Concurrent callers may each fetch on a miss; the cache only
// stores results and never serves a token past its lifetime.
//
// A Fetcher is safe for concurrent use. Its fields must not change after the
// first call.
type Fetcher struct {
	// Client performs the HTTP request; nil means http.DefaultClient.
	Client *http.Client
	// Keys resolves the issuer key of each token; it is required.
	Keys KeyLookup
	// MaxCacheAge caps how long a token is reused.
	MaxCacheAge time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu    sync.Mutex
	cache map[string]cached
}

type cached struct {
	token *Token
	until time.Time
}

func (f *Fetcher) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// Fetch returns the verified Status List Token published at uri.
func (f *Fetcher) Fetch(ctx context.Context, uri string) (*Token, error) {
	if f.Keys == nil {
		return nil, fmt.Errorf("statuslist: Fetcher.Keys is required")
	}
	if f.MaxCacheAge > 0 {
		f.mu.Lock()
		c, ok := f.cache[uri]
		f.mu.Unlock()
		if ok && f.now().Before(c.until) {
			return c.token, nil
		}
	}
	fetchedAt := f.now()
	compact, err := f.get(ctx, uri)
	if err != nil {
		return nil, err
	}
	tok, err := Verify(ctx, compact, uri, f.Keys, f.now())
	if err != nil {
		return nil, err
	}
	if f.MaxCacheAge > 0 {
		f.store(uri, tok, fetchedAt)
	}
	return tok, nil
}

func (f *Fetcher) store(uri string, tok *Token, fetchedAt time.Time) {
	until := fetchedAt.Add(f.MaxCacheAge)
	if tok.TTL > 0 {
		if t := tok.IssuedAt.Add(tok.TTL); t.Before(until) {
			until = t
		}
	}
	if !tok.ExpiresAt.IsZero() && tok.ExpiresAt.Before(until) {
		until = tok.ExpiresAt
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.now().Before(until) {
		delete(f.cache, uri)
		return
	}
	if f.cache == nil {
		f.cache = make(map[string]cached)
	}
	f.cache[uri] = cached{token: tok, until: until}
}

func (f *Fetcher) get(ctx context.Context, uri string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, uri, nil)
	if err != nil {
		return "", fmt.Errorf("statuslist: %w", err)
	}
	req.Header.Set("Accept", MediaType)
	client := f.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("statuslist: fetch %s: %w", uri, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("statuslist: fetch %s: HTTP %d", uri, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))
	if err != nil {
		return "", fmt.Errorf("statuslist: fetch %s: %w", uri, err)
	}
	if len(body) > maxBodyBytes {
		return "", fmt.Errorf("statuslist: fetch %s: response exceeds %d bytes", uri, maxBodyBytes)
	}
	// Servers commonly end the body with a newline, which is not part of the JWS.
	return strings.TrimSpace(string(body)), nil
}

// Status resolves the status of the Referenced Token described by ref.
func (f *Fetcher) Status(ctx context.Context, ref Reference) (Status, error) {
	tok, err := f.Fetch(ctx, ref.URI)
	if err != nil {
		return 0, err
	}
	return tok.List.Get(ref.Index)
}
