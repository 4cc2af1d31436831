package identity

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/ledger"
	"github.com/maeul/maeul/internal/sdjwt"
	"github.com/maeul/maeul/internal/statuslist"
)

const testIssuer = "https://maeul.example"

type cardFixture struct {
	cards    *Cards
	keys     *Keys
	registry *Registry
	ledger   *ledger.Log
	resident Resident
	now      time.Time
}

func newCardFixture(t testing.TB, d *db.DB) *cardFixture {
	t.Helper()
	f := &cardFixture{now: time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return f.now }
	f.keys = NewKeys(d, testSecret())
	f.keys.Now = clock
	f.registry = NewRegistry(d)
	f.registry.Now = clock
	l, err := ledger.New(d, "maeul.example/ledger", testSecret())
	if err != nil {
		t.Fatal(err)
	}
	f.ledger = l
	f.ledger.Now = clock
	f.cards = NewCards(d, f.keys, f.registry, l)
	f.cards.Now = clock
	r := Resident{RegistryID: "R-0001", Name: "김영희", BirthDate: time.Date(1950, 3, 4, 0, 0, 0, 0, time.UTC), District: "21090",
		Zone: "HAE-2", HouseholdID: "H-77", ChildrenUnder19: 0, Disability: true, Phone: "+821012345678"}
	ctx := context.Background()
	if err := d.Tx(ctx, func(tx *sql.Tx) error { return f.registry.SaveTx(ctx, tx, []Resident{r}) }); err != nil {
		t.Fatal(err)
	}
	if f.resident, err = f.registry.ByPhone(ctx, "+821012345678"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.registry.RecordInPerson(staffCtx(t, d), f.resident.ID, "resident_card"); err != nil {
		t.Fatal(err)
	}
	return f
}

// staffCtx is a community-centre staff member's request.
func staffCtx(t testing.TB, d *db.DB) context.Context {
	t.Helper()
	var id int64
	err := d.Write().QueryRowContext(context.Background(), `INSERT INTO users (role, name, username, created_at) VALUES ('operator', '직원', $1, $2) RETURNING id`,
		fmt.Sprintf("staff-%d", time.Now().UnixNano()), db.Time(time.Now())).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return actor.With(context.Background(), &actor.Actor{Person: actor.Person{ID: id, Role: actor.Operator}, Channel: actor.InPerson})
}

func holderKeys(n int) ([]*ecdsa.PrivateKey, []crypto.PublicKey) {
	var priv []*ecdsa.PrivateKey
	var pub []crypto.PublicKey
	for range n {
		k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		priv, pub = append(priv, k), append(pub, k.Public())
	}
	return priv, pub
}

func (f *cardFixture) verify(ctx context.Context, presentation, nonce string) (map[string]any, error) {
	return sdjwt.Verify(ctx, presentation, &sdjwt.VerifyOptions{
		IssuerKey: func(ctx context.Context, iss string, h map[string]any) (crypto.PublicKey, error) {
			if iss != testIssuer {
				return nil, fmt.Errorf("unknown issuer %q", iss)
			}
			kid, _ := h["kid"].(string)
			return f.keys.Verifier(ctx, kid)
		},
		Types: []string{"dc+sd-jwt", "vc+sd-jwt"}, RequireKeyBinding: true, Audience: "https://hospital.example", Nonce: nonce,
		Now: func() time.Time { return f.now },
	})
}

func TestCitizenCardDisclosesOnlyWhatIsAsked(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newCardFixture(t, d)
		ctx := context.Background()
		priv, pub := holderKeys(3)
		cards, err := f.cards.Issue(ctx, f.resident.ID, testIssuer, pub)
		if err != nil || len(cards) != 3 {
			t.Fatalf("issue: %d cards, %v", len(cards), err)
		}
		if cards[0] == cards[1] {
			t.Fatal("two cards of a batch are identical")
		}
		// The holder shows only "65 or over" and the district to a hospital.
		pres, err := sdjwt.Present(cards[1], sdjwt.Paths([]any{"age_equal_or_over", "65"}, []any{"address", "district"}),
			&sdjwt.KeyBinding{Key: priv[1], Audience: "https://hospital.example", Nonce: "n-1", IssuedAt: f.now})
		if err != nil {
			t.Fatal(err)
		}
		claims, err := f.verify(ctx, pres, "n-1")
		if err != nil {
			t.Fatal(err)
		}
		over := claims["age_equal_or_over"].(map[string]any)
		addr := claims["address"].(map[string]any)
		if over["65"] != true || over["19"] != nil || addr["district"] != "21090" || addr["living_zone"] != nil {
			t.Fatalf("disclosed claims: %v", claims)
		}
		for _, hidden := range []string{"name", "birthdate", "household_id", "disability", "children_under_19", "age_bracket"} {
			if _, ok := claims[hidden]; ok {
				t.Errorf("%s was revealed", hidden)
			}
		}
		if claims["vct"] != CardType {
			t.Fatalf("vct %v", claims["vct"])
		}
		// A card presented with another card's holder key fails.
		if _, err := sdjwt.Present(cards[0], sdjwt.Paths([]any{"name"}), &sdjwt.KeyBinding{Key: priv[1], Audience: "a", Nonce: "n", IssuedAt: f.now}); err == nil {
			t.Fatal("presented with a key that is not the card's")
		}
	})
}

func TestSuspendAndRevokeReachTheStatusList(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newCardFixture(t, d)
		ctx := context.Background()
		_, pub := holderKeys(2)
		if _, err := f.cards.Issue(ctx, f.resident.ID, testIssuer, pub); err != nil {
			t.Fatal(err)
		}
		statusOf := func() []statuslist.Status {
			t.Helper()
			tok, err := f.cards.StatusListToken(ctx, "1", testIssuer, 5*time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := statuslist.Verify(ctx, tok, testIssuer+"/status/1", func(ctx context.Context, kid, alg string) (crypto.PublicKey, error) {
				return f.keys.Verifier(ctx, kid)
			}, f.now)
			if err != nil {
				t.Fatal(err)
			}
			a, _ := parsed.List.Get(0)
			b, _ := parsed.List.Get(1)
			return []statuslist.Status{a, b}
		}
		if s := statusOf(); s[0] != statuslist.Valid || s[1] != statuslist.Valid {
			t.Fatalf("fresh cards: %v", s)
		}
		if n, err := f.cards.SetStatus(ctx, f.resident.ID, StatusSuspended); err != nil || n != 2 {
			t.Fatalf("suspend: %d %v", n, err)
		}
		if s := statusOf(); s[0] != statuslist.Suspended || s[1] != statuslist.Suspended {
			t.Fatalf("after suspension: %v", s)
		}
		if _, err := f.cards.SetStatus(ctx, f.resident.ID, StatusRevoked); err != nil {
			t.Fatal(err)
		}
		if s := statusOf(); s[0] != statuslist.Invalid {
			t.Fatalf("after revocation: %v", s)
		}
		if _, err := f.cards.SetStatus(ctx, f.resident.ID, StatusValid); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("a revoked card came back: %v", err)
		}
		if _, err := f.cards.SetStatus(ctx, f.resident.ID, "lost"); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("unknown status: %v", err)
		}
	})
}

func TestCardExpiresWhenAnAgeClaimWouldChange(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		birth time.Time
		want  time.Time
	}{
		{time.Date(1950, 3, 4, 0, 0, 0, 0, time.UTC), now.Add(CardLifetime)},                         // 76: nothing changes
		{time.Date(1962, 1, 10, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)}, // turns 65
		{time.Date(2008, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)},   // turns 19
		{time.Date(2007, 12, 25, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 25, 0, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		if got := cardExpiry(c.birth, now); !got.Equal(c.want) {
			t.Errorf("born %s: expires %s, want %s", c.birth.Format(time.DateOnly), got, c.want)
		}
	}
	for age, want := range map[int]string{5: "0-13", 14: "14-18", 19: "19-34", 34: "19-34", 64: "50-64", 74: "65-74", 90: "75+"} {
		if got := AgeBracket(age); got != want {
			t.Errorf("AgeBracket(%d) = %q, want %q", age, got, want)
		}
	}
}

func TestStatusEntriesAreNeverShared(t *testing.T) {
	t.Parallel()
	d := dbtest.SQLite(t)
	f := newCardFixture(t, d)
	ctx := context.Background()
	_, pub := holderKeys(5)
	for range 4 {
		if _, err := f.cards.Issue(ctx, f.resident.ID, testIssuer, pub); err != nil {
			t.Fatal(err)
		}
	}
	var n, distinct int
	d.Read().QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT list_index) FROM credentials`).Scan(&n, &distinct)
	if n != 20 || distinct != 20 {
		t.Fatalf("%d credentials on %d entries", n, distinct)
	}
	if _, err := f.cards.Issue(ctx, 9999, testIssuer, pub); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("unknown resident: %v", err)
	}
}

// TestCardChangesAreOnTheLedger: issuance, suspension, reinstatement and
// revocation each append one entry in their transaction, naming the
// resident by pseudonym only; a refused change appends nothing.
func TestCardChangesAreOnTheLedger(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newCardFixture(t, d)
		ctx := context.Background()
		_, pub := holderKeys(3)
		if _, err := f.cards.Issue(ctx, f.resident.ID, testIssuer, pub); err != nil {
			t.Fatal(err)
		}
		for _, st := range []string{StatusSuspended, StatusValid, StatusRevoked} {
			if _, err := f.cards.SetStatus(ctx, f.resident.ID, st); err != nil {
				t.Fatal(err)
			}
		}
		// Revoked cards cannot change again: refused, and not on the ledger.
		if _, err := f.cards.SetStatus(ctx, f.resident.ID, StatusValid); err == nil {
			t.Fatal("a revoked card was reinstated")
		}
		if n, _ := f.ledger.Appended(ctx); n != 4 {
			t.Fatalf("%d entries, want 4", n)
		}
		want := []struct {
			kind  string
			count int64
		}{{ledger.CardIssued, 3}, {ledger.CardSuspended, 3}, {ledger.CardReinstated, 3}, {ledger.CardRevoked, 3}}
		// Each entry names the resident by a commitment of its own, which
		// the receipt of their card's history opens to them.
		owner := f.ledger.Owner("resident", f.resident.RegistryID)
		events, err := f.cards.Events(ctx, f.resident.ID)
		if err != nil || len(events) != 4 {
			t.Fatalf("events %+v %v", events, err)
		}
		subjects := map[string]bool{}
		for i, w := range want {
			r, err := f.cards.Receipt(ctx, f.resident.ID, events[len(events)-1-i].LedgerSeq)
			if err != nil {
				t.Fatal(err)
			}
			e, err := ledger.VerifyReceipt(r, f.ledger.Origin(), f.ledger.VerifierKey())
			if err != nil || e.Kind != w.kind || e.Count != w.count || r.Opening == nil || r.Opening.Owner != owner || subjects[e.Subject] {
				t.Fatalf("entry %d: %+v %v, want %s ×%d", i, e, err, w.kind, w.count)
			}
			subjects[e.Subject] = true
			if strings.Contains(string(r.Entry), f.resident.Name) || strings.Contains(string(r.Entry), f.resident.RegistryID) {
				t.Fatalf("entry %d names the resident: %s", i, r.Entry)
			}
		}
	})
}

func TestCardEventsAndTheirReceipts(t *testing.T) {
	t.Parallel()
	d := dbtest.SQLite(t)
	f := newCardFixture(t, d)
	ctx := context.Background()
	_, pub := holderKeys(2)
	if _, err := f.cards.Issue(ctx, f.resident.ID, testIssuer, pub); err != nil {
		t.Fatal(err)
	}
	if _, err := f.cards.SetStatus(ctx, f.resident.ID, StatusSuspended); err != nil {
		t.Fatal(err)
	}
	es, err := f.cards.Events(ctx, f.resident.ID)
	if err != nil || len(es) != 2 || es[0].Kind != ledger.CardSuspended || es[1].Kind != ledger.CardIssued || es[1].Cards != 2 {
		t.Fatalf("events %+v %v", es, err)
	}
	r, err := f.cards.Receipt(ctx, f.resident.ID, es[1].LedgerSeq)
	if err != nil {
		t.Fatal(err)
	}
	if e, err := ledger.VerifyReceipt(r, f.ledger.Origin(), f.ledger.VerifierKey()); err != nil || e.Kind != ledger.CardIssued {
		t.Fatalf("receipt: %+v %v", e, err)
	}
	// Someone else's event is not yours to fetch.
	if _, err := f.cards.Receipt(ctx, f.resident.ID+1, es[1].LedgerSeq); errs.CodeOf(err) != errs.NotFound {
		t.Fatalf("another resident's receipt: %v", err)
	}
}
