package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/funds"
)

// TestServeDemoOpensTheDemoShops: the first `serve --demo` opens the
// academy, the bookshop and the theatre, approved, each run by a demo
// account whose phone it prints; a second start adds nothing.
func TestServeDemoOpensTheDemoShops(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildMaeul(t)
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "demo.db")
	out := serveOnce(t, bin, "serve", "--demo", "--db", dsn)
	ctx := context.Background()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	shops, err := funds.New(d, nil, nil, nil).Merchants(ctx, funds.MerchantApproved)
	if err != nil || len(shops) != len(funds.DemoMerchants()) {
		t.Fatalf("approved shops %+v %v\n%s", shops, err, out)
	}
	categories := map[string]bool{}
	users := auth.NewUsers(d)
	for _, m := range shops {
		categories[m.Category] = true
		owner, err := users.Get(ctx, m.OwnerID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, auth.FormatPhone(owner.Phone)+"  "+m.Name) {
			t.Errorf("the phone of %s's owner is not printed:\n%s", m.Name, out)
		}
	}
	if !categories["education"] || !categories["books"] || !categories["performance"] {
		t.Fatalf("categories %v", categories)
	}
	var spots, guideCount, shifts, helps int
	if _, err := fmt.Sscanf(out[max(0, strings.Index(out, "Demo digital guides:")):], "Demo digital guides: %d spots on the data map, %d guides, %d shifts, %d help given.",
		&spots, &guideCount, &shifts, &helps); err != nil || spots < 100 || guideCount < 10 || shifts == 0 || helps == 0 {
		t.Fatalf("the demo's digital guides: %v\n%s", err, out)
	}
	d.Close()
	if again := serveOnce(t, bin, "serve", "--demo", "--db", dsn); strings.Contains(again, "Demo shops") {
		t.Fatalf("a second start opened shops again:\n%s", again)
	}
}

// serveOnce runs maeul until it serves, stops it, and returns what it
// printed.
func serveOnce(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd, _, printed := startMaeul(t, bin, "Maeul is serving", args...)
	cmd.Process.Kill()
	cmd.Wait()
	return printed
}
