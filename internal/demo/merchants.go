package demo

import (
	"context"
	"fmt"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
)

// shopOwnerPhone is the n-th demo shop owner's number. The demo citizens'
// numbers are 010-00xx-xxxx, so these never meet one of theirs.
func shopOwnerPhone(n int) string { return fmt.Sprintf("+82109999%04d", n) }

// ShopOwners creates a demo citizen account for each shop name, to run
// the demo shops' tills, and returns them in order.
func ShopOwners(ctx context.Context, d *db.DB, shops []string) ([]auth.User, error) {
	users := auth.NewUsers(d)
	out := make([]auth.User, 0, len(shops))
	for i, name := range shops {
		u, err := users.Create(ctx, auth.NewUser{Role: actor.Citizen, Name: name + " 대표", Phone: shopOwnerPhone(i + 1), Demo: true})
		if err != nil {
			return out, fmt.Errorf("the owner of %s: %w", name, err)
		}
		out = append(out, u)
	}
	return out, nil
}

// FundsStaff is the demo funds admin, acting online: the one who approves
// the demo shops.
func FundsStaff(ctx context.Context, d *db.DB) (context.Context, int64, error) {
	admin, err := auth.NewUsers(d).ByUsername(ctx, "funds")
	if err != nil {
		return ctx, 0, fmt.Errorf("the demo funds admin: %w", err)
	}
	return actor.With(ctx, &actor.Actor{Person: actor.Person{ID: admin.ID, Name: admin.Name, Role: actor.FundsAdmin}, Channel: actor.Online}), admin.ID, nil
}
