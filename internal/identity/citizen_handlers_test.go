package identity

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/web"
)

// detailsRe is a <details> disclosure, where a citizen's page keeps what
// only experts need (the link for other wallet apps).
var detailsRe = regexp.MustCompile(`(?s)<details\b.*?</details>`)

func TestMyCardPages(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newCardFixture(t, d)
		ctx := context.Background()
		var userID int64
		if err := d.Write().QueryRowContext(ctx, `INSERT INTO users (role, name, phone, created_at) VALUES ('citizen', '김영희', '+821012345678', $1) RETURNING id`,
			db.Time(f.now)).Scan(&userID); err != nil {
			t.Fatal(err)
		}
		rt := web.NewRouter(web.NewMetrics())
		Register(rt, f.keys, f.cards, Issuer{URL: testIssuer}, Options{})
		me := &actor.Actor{Person: actor.Person{ID: userID, Role: actor.Citizen, Phone: "+821012345678"}, Channel: actor.Online}
		post := func(path string, form url.Values) *httptest.ResponseRecorder {
			r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			rt.ServeHTTP(w, r.WithContext(actor.With(r.Context(), me)))
			return w
		}
		if w := post("/my/card/offer", url.Values{}); w.Code != http.StatusConflict {
			t.Fatalf("offer before proofing: %d", w.Code)
		}
		if w := post("/my/card/proof", url.Values{"name": {"김영희"}, "birth_date": {"1950-03-05"}}); w.Code != http.StatusConflict {
			t.Fatalf("wrong birth date: %d", w.Code)
		}
		if w := post("/my/card/proof", url.Values{"name": {"김영희"}, "birth_date": {"3 March 1950"}}); w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("malformed birth date: %d", w.Code)
		}
		if w := post("/my/card/proof", url.Values{"name": {"김 영희"}, "birth_date": {"1950-03-04"}}); w.Code != http.StatusSeeOther {
			t.Fatalf("proof: %d %s", w.Code, w.Body.String())
		}
		if w := post("/my/card/offer", url.Values{}); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "openid-credential-offer://") ||
			!strings.Contains(w.Body.String(), `href="`+testIssuer+"/wallet/receive?credential_offer=%7B") {
			t.Fatalf("offer without both wallet links: %d", w.Code)
		} else if outside := detailsRe.ReplaceAllString(w.Body.String(), ""); strings.Contains(outside, "openid-credential-offer://") {
			t.Errorf("the link for other wallet apps is not under its disclosure")
		}
		if w := post("/my/card/suspend", url.Values{}); w.Code != http.StatusConflict {
			t.Fatalf("suspend with no cards: %d", w.Code)
		}
		_, pub := holderKeys(2)
		if _, err := f.cards.Issue(ctx, f.resident.ID, testIssuer, pub); err != nil {
			t.Fatal(err)
		}
		if w := post("/my/card/suspend", url.Values{}); w.Code != http.StatusSeeOther {
			t.Fatalf("suspend: %d", w.Code)
		}
		counts, _ := f.cards.CardCounts(ctx, f.resident.ID)
		if counts[StatusSuspended] != 2 {
			t.Fatalf("counts after suspension: %v", counts)
		}
	})
}
