package identity

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/web"
)

// A wallet's anonymous writes, nonces and engagements, are limited per
// client address; past the limit the wallet is told, in its language and
// OAuth's error shape, when to ask again.
func TestWalletWritesAreLimitedPerAddress(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newCardFixture(t, d)
		pres := NewPresentations(d, f.keys, f.cards)
		pres.Now = func() time.Time { return f.now }
		rt := web.NewRouter(web.NewMetrics())
		Register(rt, f.keys, f.cards, Issuer{URL: "https://maeul.example"}, Options{})
		RegisterVerifier(rt, f.keys, pres, Issuer{URL: "https://maeul.example"}, Options{Places: func(string) map[string]string { return nil }})
		h := web.Chain(rt, web.ClientAddrs(nil), web.WithPrefsMiddleware)
		post := func(path, addr string) *httptest.ResponseRecorder {
			r := httptest.NewRequest("POST", path, strings.NewReader("{}"))
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Accept-Language", "en")
			r.RemoteAddr = addr + ":443"
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			return w
		}
		for _, c := range []struct {
			path string
			max  int
		}{{"/oauth/nonce", NoncesPerAddress.Max}, {"/vp/engage", EngagementsPerAddress.Max}} {
			for i := range c.max {
				if w := post(c.path, "198.51.100.8"); w.Code != http.StatusOK {
					t.Fatalf("%s %d: %d %s", c.path, i, w.Code, w.Body)
				}
			}
			w := post(c.path, "198.51.100.8")
			var body map[string]string
			json.Unmarshal(w.Body.Bytes(), &body)
			if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "600" ||
				body["error"] != "temporarily_unavailable" || body["error_description"] != "Too many requests. Please try again in 10 minutes." {
				t.Fatalf("%s one too many: %d Retry-After %q %s", c.path, w.Code, w.Header().Get("Retry-After"), w.Body)
			}
			if w := post(c.path, "198.51.100.9"); w.Code != http.StatusOK {
				t.Fatalf("%s from another address: %d", c.path, w.Code)
			}
		}
		f.now = f.now.Add(10*time.Minute + time.Second)
		if w := post("/oauth/nonce", "198.51.100.8"); w.Code != http.StatusOK {
			t.Fatalf("after the window: %d", w.Code)
		}
	})
}
