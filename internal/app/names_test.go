package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/city"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/demo"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/places"
)

// TestZoneNamesComeFromThePlaces: once a city imports its own living zones
// (`maeul import places`), the wallet's consent screen, the card desk and
// the verifier's desk, the board and the board's "my zone" name them as
// imported, not as the built-in demo list does.
func TestZoneNamesComeFromThePlaces(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := dbtest.SQLite(t)
	if _, err := demo.Generate(ctx, d, demo.Options{Citizens: 30}); err != nil {
		t.Fatal(err)
	}
	a, err := New(d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := demo.ImportPlaces(ctx, a.Places, 0, time.Now()); err != nil {
		t.Fatal(err)
	}

	// A demo resident, proved by a code on their phone.
	var res identity.Resident
	registry := identity.NewRegistry(d)
	if err := registry.Each(ctx, func(r identity.Resident) error {
		if res.ID == 0 && r.Zone != "" && r.Phone != "" {
			res = r
		}
		return nil
	}); err != nil || res.ID == 0 {
		t.Fatalf("no demo resident with a zone: %v", err)
	}
	u, err := auth.NewUsers(d).ByPhone(ctx, res.Phone)
	if err != nil {
		t.Fatal(err)
	}
	citizen := actor.With(ctx, &actor.Actor{Person: actor.Person{ID: u.ID, Name: u.Name, Phone: u.Phone, Role: actor.Citizen}, Channel: actor.Online})
	if _, err := registry.ProofBySignIn(citizen, res.Name, res.BirthDate); err != nil {
		t.Fatal(err)
	}
	demoName := ""
	for _, z := range city.DemoZones() {
		if z.Code == res.Zone {
			demoName = z.Name("ko")
		}
	}
	if demoName == "" {
		t.Fatalf("zone %s is not a demo zone", res.Zone)
	}

	// The city imports its own zones: the resident's renamed, and another.
	const (
		mine  = "새봄마을 생활권"
		other = "시험 나 생활권"
	)
	file := fmt.Sprintf(`{"type": "FeatureCollection", "features": [
	  {"type": "Feature", "properties": {"code": %q, "district": %q, "name_ko": %q, "name_en": "New Spring zone", "population": 12000},
	   "geometry": {"type": "Polygon", "coordinates": [[[129.10, 35.15], [129.15, 35.15], [129.15, 35.20], [129.10, 35.20], [129.10, 35.15]]]}},
	  {"type": "Feature", "properties": {"code": "T-B", "district": %q, "name_ko": %q, "population": 8000},
	   "geometry": {"type": "Polygon", "coordinates": [[[129.15, 35.15], [129.20, 35.15], [129.20, 35.20], [129.15, 35.20], [129.15, 35.15]]]}}]}`,
		res.Zone, res.District, mine, res.District, other)
	f, err := places.ParseImport(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Places.Import(ctx, f); err != nil {
		t.Fatal(err)
	}

	// The card desk and the verifier's desk.
	names := a.wired.Identity.Places("ko")
	if names[res.Zone] != mine || names["T-B"] != other {
		t.Errorf("the card desk names %s %q and T-B %q", res.Zone, names[res.Zone], names["T-B"])
	}
	if a.wired.Identity.Places("en")[res.Zone] != "New Spring zone" {
		t.Errorf("in English: %q", a.wired.Identity.Places("en")[res.Zone])
	}
	dist, _ := city.DistrictByCode(res.District)
	if names[res.District] != dist.NameKo {
		t.Errorf("district %s named %q", res.District, names[res.District])
	}
	// The wallet's consent screen.
	zones := map[string]string{}
	for _, o := range a.wired.Wallet.Zones("ko") {
		zones[o.Value] = o.Label
	}
	if len(zones) != 2 || zones[res.Zone] != mine || zones["T-B"] != other {
		t.Errorf("the wallet names the zones %v", zones)
	}
	// The board's "my zone".
	if got := a.wired.Board.MyZone(citizen); got != res.Zone {
		t.Errorf("my zone is %q, want %q", got, res.Zone)
	}
	if got := a.wired.Board.MyZone(ctx); got != "" {
		t.Errorf("an anonymous visitor's zone is %q", got)
	}

	// And so the pages read.
	srv := httptest.NewServer(a)
	defer srv.Close()
	get := func(path string) string {
		resp, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		return string(b)
	}
	board := get("/board")
	if !strings.Contains(board, mine) || !strings.Contains(board, other) || strings.Contains(board, demoName) {
		t.Errorf("the board does not list the imported zones (%q, %q) in place of the demo's (%q)", mine, other, demoName)
	}
	wallet := get("/wallet/present")
	escaped, _ := json.Marshal(mine)
	if !strings.Contains(wallet, mine) && !strings.Contains(wallet, strings.Trim(jsEscape(string(escaped)), `"`)) {
		t.Errorf("the wallet's consent screen does not carry %q", mine)
	}
	if strings.Contains(wallet, demoName) {
		t.Errorf("the wallet's consent screen still carries the demo's %q", demoName)
	}
}

// jsEscape writes non-ASCII as \uXXXX, as html/template may in a script.
func jsEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}
