package demo

import (
	"context"
	"testing"

	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/ledger"
)

func TestIssueCardsPutsTheCityOnTheLedger(t *testing.T) {
	t.Parallel()
	d := dbtest.SQLite(t)
	ctx := context.Background()
	opt := Options{Citizens: 30}
	if _, err := Generate(ctx, d, opt); err != nil {
		t.Fatal(err)
	}
	secret := []byte("maeul demo cards test secret 32b")
	l, err := ledger.New(d, "maeul.example/ledger", secret)
	if err != nil {
		t.Fatal(err)
	}
	cards := identity.NewCards(d, identity.NewKeys(d, secret), identity.NewRegistry(d), l)
	n, err := IssueCards(ctx, d, cards, "https://maeul.example", opt)
	if err != nil || n != 30 {
		t.Fatalf("%d cards: %v", n, err)
	}
	if got, _ := l.Appended(ctx); got != 30 {
		t.Fatalf("%d ledger entries", got)
	}
}
