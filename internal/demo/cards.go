package demo

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/identity"
)

// DemoCards is how many demo citizens hold a citizen card from the start.
const DemoCards = 200

// IssueCards gives the first demo citizens their citizen cards, as if the
// demo operator had checked them at a community centre, so that the
// ledger holds the city's activity from the first start. The holder keys
// are made here and thrown away: these cards are demo data, never shown.
func IssueCards(ctx context.Context, d *db.DB, cards *identity.Cards, issuerURL string, opt Options) (int, error) {
	opt = opt.withDefaults()
	op, err := auth.NewUsers(d).ByUsername(ctx, "operator")
	if err != nil {
		return 0, err
	}
	staff := actor.With(ctx, &actor.Actor{Person: actor.Person{ID: op.ID, Role: actor.Operator}, Channel: actor.InPerson})
	registry := identity.NewRegistry(d)
	n := 0
	for _, p := range People(opt.Seed, min(opt.Citizens, DemoCards), opt.Now) {
		r, err := registry.ByPhone(ctx, p.Phone)
		if err != nil {
			return n, err
		}
		if _, err := registry.RecordInPerson(staff, r.ID, identity.DocumentTypes[0]); err != nil {
			return n, err
		}
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return n, err
		}
		if _, err := cards.Issue(ctx, r.ID, issuerURL, []crypto.PublicKey{k.Public()}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
