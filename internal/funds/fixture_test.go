package funds

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"crypto"
	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/ledger"
	"github.com/maeul/maeul/internal/sdjwt"
)

const testBase = "https://maeul.test"

var testSecret = bytes.Repeat([]byte{7}, 32)

func testLedger(t testing.TB, d *db.DB) *ledger.Log {
	t.Helper()
	l, err := ledger.New(d, "maeul.test/ledger", testSecret)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// fixture is the funds service on a database with the identity part's
// issuer and verifier, a clock, and the demo programmes' shapes.
type fixture struct {
	d        *db.DB
	s        *Service
	registry *identity.Registry
	cards    *identity.Cards
	pres     *identity.Presentations
	ledger   *ledger.Log
	now      time.Time
	staff    context.Context
	seq      atomic.Int64
}

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{d: d, now: today}
	clock := func() time.Time { return f.now }
	keys := identity.NewKeys(d, testSecret)
	keys.Now = clock
	f.registry = identity.NewRegistry(d)
	f.registry.Now = clock
	f.ledger = testLedger(t, d)
	f.ledger.Now = clock
	f.cards = identity.NewCards(d, keys, f.registry, f.ledger)
	f.cards.Now = clock
	f.pres = identity.NewPresentations(d, keys, f.cards)
	f.pres.Now = clock
	f.s = New(d, f.registry, f.pres, f.ledger)
	f.s.Now = clock
	f.s.Programmes.Now = clock
	ctx := context.Background()
	if err := f.s.EnsureParty(ctx); err != nil {
		t.Fatal(err)
	}
	var staff int64
	if err := d.Write().QueryRowContext(ctx, `INSERT INTO users (role, name, username, created_at) VALUES ('operator', '직원', 'staff', $1) RETURNING id`,
		db.Time(f.now)).Scan(&staff); err != nil {
		t.Fatal(err)
	}
	f.staff = actor.With(ctx, &actor.Actor{Person: actor.Person{ID: staff, Role: actor.Operator}, Channel: actor.InPerson})
	return f
}

// programme saves a programme and returns it as stored.
func (f *fixture) programme(t testing.TB, p Programme) Programme {
	t.Helper()
	saved, _, err := f.s.Programmes.Save(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return saved
}

// resident adds a person to the registry; proofed, they may get a card.
func (f *fixture) resident(t testing.TB, household string, birth time.Time, children int, proofed bool) identity.Resident {
	t.Helper()
	ctx := context.Background()
	n := f.seq.Add(1)
	r := identity.Resident{RegistryID: fmt.Sprintf("R-%06d", n), Name: fmt.Sprintf("주민 %d", n), BirthDate: birth, District: "21090",
		Zone: "HAE-1", HouseholdID: household, ChildrenUnder19: children, Phone: fmt.Sprintf("+8210%08d", n)}
	if err := f.d.Tx(ctx, func(tx *sql.Tx) error { return f.registry.SaveTx(ctx, tx, []identity.Resident{r}) }); err != nil {
		t.Fatal(err)
	}
	r, err := f.registry.ByPhone(ctx, r.Phone)
	if err != nil {
		t.Fatal(err)
	}
	if proofed {
		if _, err := f.registry.RecordInPerson(f.staff, r.ID, "resident_card"); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// holder is a wallet with one card.
type holder struct {
	card string
	key  *ecdsa.PrivateKey
}

func (f *fixture) card(t testing.TB, residentID int64) holder {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	cards, err := f.cards.Issue(context.Background(), residentID, testBase, []crypto.PublicKey{key.Public()})
	if err != nil {
		t.Fatal(err)
	}
	return holder{cards[0], key}
}

// answer presents the holder's card to a request, disclosing exactly what
// it asks, as a wallet does after the citizen's consent.
func (f *fixture) answer(t testing.TB, h holder, link string) error {
	t.Helper()
	_, err := f.pres.Respond(context.Background(), testBase, f.present(t, h, link))
	return err
}

// present is the wallet's answer to a request, not yet sent.
func (f *fixture) present(t testing.TB, h holder, link string) identity.Answer {
	t.Helper()
	req, nonce := f.request(t, link)
	var paths [][]any
	for _, c := range req {
		p := make([]any, len(c))
		for i, s := range c {
			p[i] = s
		}
		paths = append(paths, p)
	}
	vp, err := sdjwt.Present(h.card, sdjwt.Paths(paths...), &sdjwt.KeyBinding{Key: h.key, Audience: identity.ClientID(testBase, PartySlug),
		Nonce: nonce, IssuedAt: f.now})
	if err != nil {
		t.Fatal(err)
	}
	token, _ := json.Marshal(map[string][]string{identity.CardQueryID: {vp}})
	return identity.Answer{State: requestID(link), VPToken: string(token)}
}

// request reads the signed request object of a wallet link: the claims
// asked and the nonce.
func (f *fixture) request(t testing.TB, link string) ([][]string, string) {
	t.Helper()
	jws, err := f.pres.RequestObject(context.Background(), requestID(link), testBase)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(strings.Split(jws, ".")[1])
	var obj struct {
		Nonce string `json:"nonce"`
		DCQL  struct {
			Credentials []struct {
				Claims []struct {
					Path []string `json:"path"`
				} `json:"claims"`
			} `json:"credentials"`
		} `json:"dcql_query"`
	}
	if err := json.Unmarshal(raw, &obj); err != nil {
		t.Fatal(err)
	}
	var claims [][]string
	for _, c := range obj.DCQL.Credentials[0].Claims {
		claims = append(claims, c.Path)
	}
	return claims, obj.Nonce
}

func requestID(link string) string {
	u, _ := url.Parse(link)
	ru, _ := url.Parse(u.Query().Get("request_uri"))
	return ru.Path[strings.LastIndex(ru.Path, "/")+1:]
}
