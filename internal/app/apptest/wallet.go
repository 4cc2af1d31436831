package apptest

import (
	"context"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/holder"
	"github.com/maeul/maeul/internal/identity"
)

// WalletOf gives the demo citizen with ta.Phone a wallet holding a batch of
// cards, received by OpenID4VCI from the running app.
func (ta *App) WalletOf(t *testing.T) (*holder.Client, *holder.Wallet) {
	t.Helper()
	e164 := "+82" + strings.TrimPrefix(strings.ReplaceAll(ta.Phone, "-", ""), "0")
	res, err := identity.NewRegistry(ta.DB).ByPhone(context.Background(), e164)
	if err != nil {
		t.Fatal(err)
	}
	return ta.WalletFor(t, res.ID)
}

// WalletFor checks a resident in person at the desk, as staff do, and gives
// them a wallet holding a batch of cards.
func (ta *App) WalletFor(t *testing.T, residentID int64) (*holder.Client, *holder.Wallet) {
	t.Helper()
	ctx := context.Background()
	staff := actor.With(ctx, &actor.Actor{Person: actor.Person{ID: 1, Role: actor.Operator}, Channel: actor.InPerson})
	if _, err := identity.NewRegistry(ta.DB).RecordInPerson(staff, residentID, "resident_card"); err != nil {
		t.Fatal(err)
	}
	offer, err := ta.Cards.CreateOffer(staff, residentID, ta.Server.URL)
	if err != nil {
		t.Fatal(err)
	}
	o, err := holder.ParseOffer(offer.Link)
	if err != nil {
		t.Fatal(err)
	}
	c, w := &holder.Client{AllowHTTP: true}, &holder.Wallet{}
	if _, err := c.Receive(ctx, w, o, offer.PIN); err != nil {
		t.Fatal(err)
	}
	return c, w
}

// OfferTo proofs a resident aged 65 or over at the desk and makes a card
// offer for them, as staff do.
func (ta *App) OfferTo(t *testing.T) (identity.Resident, identity.Offer) {
	t.Helper()
	ctx := context.Background()
	var staffID, residentID int64
	if err := ta.DB.Read().QueryRowContext(ctx, `SELECT id FROM users WHERE username = 'operator'`).Scan(&staffID); err != nil {
		t.Fatal(err)
	}
	if err := ta.DB.Read().QueryRowContext(ctx, `SELECT id FROM residents WHERE birth_date <= '1955-01-01' ORDER BY id LIMIT 1`).Scan(&residentID); err != nil {
		t.Fatal(err)
	}
	staff := actor.With(ctx, &actor.Actor{Person: actor.Person{ID: staffID, Role: actor.Operator}, Channel: actor.InPerson})
	reg := identity.NewRegistry(ta.DB)
	if _, err := reg.RecordInPerson(staff, residentID, "resident_card"); err != nil {
		t.Fatal(err)
	}
	offer, err := ta.Cards.CreateOffer(staff, residentID, ta.Server.URL)
	if err != nil {
		t.Fatal(err)
	}
	res, err := reg.Get(ctx, residentID)
	if err != nil {
		t.Fatal(err)
	}
	return res, offer
}
