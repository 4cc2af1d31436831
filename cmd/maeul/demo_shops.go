package main

import (
	"context"
	"fmt"
	"io"

	"github.com/maeul/maeul/internal/app"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/demo"
	"github.com/maeul/maeul/internal/funds"
)

// openDemoShops opens the demo shops, each run by a demo account of its
// own, registered and approved through the funds service so that the demo
// programmes' points can be spent at once, and prints how their owners
// sign in.
func openDemoShops(ctx context.Context, a *app.App, stdout io.Writer) error {
	shops := funds.DemoMerchants()
	names := make([]string, len(shops))
	for i, m := range shops {
		names[i] = m.Name
	}
	owners, err := demo.ShopOwners(ctx, a.DB, names)
	if err != nil {
		return err
	}
	staff, staffID, err := demo.FundsStaff(ctx, a.DB)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Demo shops (their owners sign in by phone like citizens, then open /merchant):")
	for i, m := range shops {
		if m, err = a.Funds.RegisterMerchant(ctx, owners[i].ID, m); err != nil {
			return fmt.Errorf("%s: %w", m.Name, err)
		}
		if err := a.Funds.DecideMerchant(staff, m.ID, staffID, true, ""); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "  %-13s %s  %s (business number %s)\n", m.Category, auth.FormatPhone(owners[i].Phone), m.Name, m.Formatted())
	}
	return nil
}
