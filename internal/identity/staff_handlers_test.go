package identity

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/web"
)

// TestCardDeskNamesPlaces: the card desk shows a resident's district and
// living zone by name, not by code; a code without a name shows as itself.
func TestCardDeskNamesPlaces(t *testing.T) {
	t.Parallel()
	d := dbtest.SQLite(t)
	f := newCardFixture(t, d)
	desk := func(places func(string) map[string]string) string {
		t.Helper()
		rt := web.NewRouter(web.NewMetrics())
		Register(rt, f.keys, f.cards, Issuer{URL: testIssuer}, Options{Places: places})
		r := httptest.NewRequest(http.MethodGet, "/admin/cards?q="+f.resident.RegistryID, nil)
		staff := &actor.Actor{Person: actor.Person{ID: 1, Role: actor.Operator}, Channel: actor.InPerson}
		w := httptest.NewRecorder()
		rt.ServeHTTP(w, r.WithContext(actor.With(r.Context(), staff)))
		if w.Code != http.StatusOK {
			t.Fatalf("desk: %d %s", w.Code, w.Body.String())
		}
		return w.Body.String()
	}
	body := desk(func(lang string) map[string]string {
		return map[string]string{"21090": "해운대구", "HAE-2": "해운대 2 생활권"}
	})
	if !strings.Contains(body, "<dd>해운대구 · 해운대 2 생활권</dd>") || strings.Contains(body, "21090") || strings.Contains(body, "HAE-2") {
		t.Fatalf("the desk shows codes: %s", body)
	}
	if body := desk(nil); !strings.Contains(body, "<dd>21090 · HAE-2</dd>") {
		t.Fatalf("without names the desk shows nothing: %s", body)
	}
}
