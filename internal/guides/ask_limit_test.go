package guides

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/web"
)

// Anyone may ask for a guide without signing in, so requests are limited
// per client address: past the limit the form says, in the asker's
// language, when to send it again; other addresses are not held back, and
// a form sent back for a mistake takes nothing from the allowance.
func TestAsksAreLimitedPerAddress(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		_, rt := f.server(t, Options{})
		h := web.Chain(rt, web.ClientAddrs(nil), web.WithPrefsMiddleware)
		ask := func(addr, phone string) *httptest.ResponseRecorder {
			form := url.Values{"kind": {"callback"}, "topic": {"kiosk"}, "phone": {phone}}
			r := httptest.NewRequest("POST", "/help/guide", strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.Header.Set("Accept-Language", "en")
			r.RemoteAddr = addr + ":5000"
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			return w
		}
		if w := ask("198.51.100.4", "123"); w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("a mistake: %d", w.Code)
		}
		for i := range AsksPerAddress.Max {
			redirected(t, fmt.Sprint("ask ", i), ask("198.51.100.4", fmt.Sprintf("010-5555-%04d", i)), "/help/guide/thanks")
		}
		w := ask("198.51.100.4", "010-5555-9999")
		mustHave(t, "one too many", w, http.StatusTooManyRequests, "Please send it again in 60 minutes", `value="010-5555-9999"`)
		if w.Header().Get("Retry-After") != "3600" {
			t.Errorf("Retry-After %q", w.Header().Get("Retry-After"))
		}
		redirected(t, "another address", ask("198.51.100.5", "010-5555-9999"), "/help/guide/thanks")
		f.now = f.now.Add(time.Hour + time.Second)
		redirected(t, "after the hour", ask("198.51.100.4", "010-5555-8888"), "/help/guide/thanks")
	})
}
