package guides

import (
	"context"
	"testing"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
)

// TestLandmarks: the stations and markets, by name, are what the places'
// locator is given; senior centres and parks are places of their own.
func TestLandmarks(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.hotspots(threeSpots)
		got, err := f.svc.Landmarks(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].NameKo != "부전시장" || got[1].NameKo != "서면역" || got[1].NameEn != "Seomyeon Station" || got[1].At.Lat != 35.1578 {
			t.Errorf("landmarks %+v", got)
		}
	})
}
