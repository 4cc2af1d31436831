package booking

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
)

// TestCatalogueAPI: the API lists the same facilities as the page, in the
// same order, with the same count and pages.
func TestCatalogueAPI(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		catalogueCity(f)
		p := newPages(t, f, Options{})
		anon := context.Background()
		type answer struct {
			Facilities []struct {
				ID        int64  `json:"id"`
				NameKo    string `json:"name_ko"`
				District  string `json:"district"`
				Category  string `json:"category"`
				StepFree  bool   `json:"step_free"`
				Metres    *int   `json:"distance_m"`
				URL       string `json:"url"`
				Resources []struct {
					ID  int64  `json:"id"`
					URL string `json:"url"`
				} `json:"resources"`
			} `json:"facilities"`
			Total   int         `json:"total"`
			Page    int         `json:"page"`
			Pages   int         `json:"pages"`
			PerPage int         `json:"per_page"`
			Origin  *placeJSON  `json:"origin"`
			Choices []placeJSON `json:"choices"`
		}
		api := func(query string) answer {
			t.Helper()
			w := p.get(anon, "/api/v1/booking/facilities?"+query)
			if w.Code != 200 {
				t.Fatalf("%s: %d %s", query, w.Code, w.Body.String())
			}
			var a answer
			if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil {
				t.Fatal(err)
			}
			return a
		}
		for _, query := range []string{"", "page=2", "q=%EC%B2%B4%EC%9C%A1", "district=21140", "category=community&step_free=1&page=1",
			"near=%EC%9A%B0%EB%8F%99", "near=%EC%9A%B0%EB%8F%99&page=2", "lat=35.103&lon=129.035&label=x&near=x&category=sports", "q=zzz"} {
			a := api(query)
			var ids []int64
			for _, fa := range a.Facilities {
				ids = append(ids, fa.ID)
			}
			if page := cards(p.get(anon, "/book?"+query).Body.String()); !slices.Equal(ids, page) {
				t.Errorf("%s: the API lists %v, the page %v", query, ids, page)
			}
		}
		a := api("near=%EC%9A%B0%EB%8F%99&district=21090")
		if a.Total != 21 || a.Page != 1 || a.Pages != 2 || a.Origin == nil || a.Origin.NameKo != "해운대구 우동" || len(a.Facilities) != 20 {
			t.Fatalf("near: %+v", a)
		}
		first := a.Facilities[0]
		if first.ID != 106 || first.Metres == nil || *first.Metres != 0 || first.District != "21090" || first.Category != "community" ||
			first.URL != "/book/facilities/106" || len(first.Resources) != 1 || !strings.HasPrefix(first.Resources[0].URL, "/book/resources/") {
			t.Errorf("first: %+v", first)
		}
		if m := a.Facilities[1].Metres; m == nil || *m < 150 || *m > 200 {
			t.Errorf("second is %v m away", m)
		}
		if a := api("q=%EC%B2%B4%EC%9C%A1"); a.Facilities[0].Metres != nil || a.Origin != nil {
			t.Error("a distance without a place")
		}
		if a := api("near=%EC%A4%91%EC%95%99%EB%8F%99"); len(a.Choices) != 2 || len(a.Facilities) != 0 || a.Choices[1].NameEn != "Jungang-dong, Yeonje-gu" {
			t.Errorf("ambiguous: %+v", a)
		}
		w := p.do(anon, "en", "GET", "/api/v1/booking/facilities?near=nowhere", nil)
		var e struct {
			Error struct{ Code, Message, Field string }
		}
		if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || w.Code != 422 || e.Error.Code != "invalid" || e.Error.Field != "near" ||
			!strings.Contains(e.Error.Message, "We could not find “nowhere”") {
			t.Errorf("unknown place: %d %s", w.Code, w.Body.String())
		}
	})
}
