package demo

import (
	"context"
	"fmt"
	"io"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/funds"
)

// MerchantAccount is a demo shop and the phone its owner signs in with.
type MerchantAccount struct {
	Merchant funds.Merchant
	Phone    string // as people write it: 010-9999-0001
}

// merchantPhone is the n-th demo shop owner's number. The demo citizens'
// numbers are 010-00xx-xxxx, so these never meet one of theirs.
func merchantPhone(n int) string { return fmt.Sprintf("+82109999%04d", n) }

// OpenMerchants opens the demo shops of funds.DemoMerchants, each run by
// a demo citizen account of its own, registered and approved through the
// funds service as the demo funds admin, so that the demo programmes'
// points can be spent at once.
func OpenMerchants(ctx context.Context, d *db.DB, svc *funds.Service) ([]MerchantAccount, error) {
	users := auth.NewUsers(d)
	admin, err := users.ByUsername(ctx, "funds")
	if err != nil {
		return nil, fmt.Errorf("the demo funds admin: %w", err)
	}
	staff := actor.With(ctx, &actor.Actor{Person: actor.Person{ID: admin.ID, Name: admin.Name, Role: actor.FundsAdmin}, Channel: actor.Online})
	var out []MerchantAccount
	for i, m := range funds.DemoMerchants() {
		owner, err := users.Create(ctx, auth.NewUser{Role: actor.Citizen, Name: m.Name + " 대표", Phone: merchantPhone(i + 1), Demo: true})
		if err != nil {
			return out, fmt.Errorf("the owner of %s: %w", m.Name, err)
		}
		if m, err = svc.RegisterMerchant(ctx, owner.ID, m); err != nil {
			return out, fmt.Errorf("%s: %w", m.Name, err)
		}
		if err := svc.DecideMerchant(staff, m.ID, admin.ID, true, ""); err != nil {
			return out, err
		}
		m.Status = funds.MerchantApproved
		out = append(out, MerchantAccount{Merchant: m, Phone: auth.FormatPhone(owner.Phone)})
	}
	return out, nil
}

// PrintMerchants shows the demo shops and how their owners sign in.
func PrintMerchants(w io.Writer, shops []MerchantAccount) {
	fmt.Fprintln(w, "Demo shops (their owners sign in by phone like citizens, then open /merchant):")
	for _, s := range shops {
		fmt.Fprintf(w, "  %-13s %s  %s (business number %s)\n", s.Merchant.Category, s.Phone, s.Merchant.Name, s.Merchant.Formatted())
	}
}
