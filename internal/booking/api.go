package booking

import (
	"math"
	"net/http"
	"strconv"

	"github.com/maeul/maeul/internal/places"
	"github.com/maeul/maeul/internal/web"
)

// The JSON shapes of the catalogue. Both languages are given for stored
// text, so clients need not ask twice.

type facilityJSON struct {
	ID        int64          `json:"id"`
	NameKo    string         `json:"name_ko"`
	NameEn    string         `json:"name_en"`
	AddressKo string         `json:"address_ko"`
	AddressEn string         `json:"address_en"`
	Category  string         `json:"category"`
	District  string         `json:"district,omitempty"`
	StepFree  bool           `json:"step_free"`
	Metres    *int           `json:"distance_m,omitempty"`
	URL       string         `json:"url"`
	Resources []resourceJSON `json:"resources"`
}

type resourceJSON struct {
	ID          int64  `json:"id"`
	Kind        string `json:"kind"`
	NameKo      string `json:"name_ko"`
	NameEn      string `json:"name_en"`
	Capacity    int    `json:"capacity"`
	SlotMinutes int    `json:"slot_minutes"`
	Allocation  string `json:"allocation"`
	Approval    bool   `json:"approval"`
	URL         string `json:"url"`
}

type placeJSON struct {
	NameKo string  `json:"name_ko"`
	NameEn string  `json:"name_en"`
	Lat    float64 `json:"lat"`
	Lon    float64 `json:"lon"`
}

func toPlaceJSON(p places.Place) placeJSON {
	return placeJSON{NameKo: p.NameKo, NameEn: p.NameEn, Lat: p.At.Lat, Lon: p.At.Lon}
}

// apiFacilities is the catalogue's search as JSON: the same filters, the
// same rows and pages as /book.
func (h *Handlers) apiFacilities(w http.ResponseWriter, r *http.Request) error {
	found, err := h.svc.Find(r.Context(), searchFromQuery(r.URL.Query()), lang(r))
	if err != nil && len(found.Suggestions) > 0 {
		web.ErrorWith(w, r, err, map[string]any{"suggestions": web.JSONList(found.Suggestions, toPlaceJSON)})
		return nil
	}
	if err != nil {
		return err
	}
	out := map[string]any{"total": found.Total, "page": found.Page, "pages": found.Pages, "per_page": PerPage}
	fs := make([]facilityJSON, len(found.Listings))
	for i, x := range found.Listings {
		f := &x.Facility
		fs[i] = facilityJSON{ID: f.ID, NameKo: f.NameKo, NameEn: f.NameEn, AddressKo: f.AddressKo, AddressEn: f.AddressEn,
			Category: f.Category, District: x.District, StepFree: f.StepFree, URL: "/book/facilities/" + strconv.FormatInt(f.ID, 10)}
		if found.Origin != nil {
			m := int(math.Round(x.Metres))
			fs[i].Metres = &m
		}
		fs[i].Resources = make([]resourceJSON, len(x.Resources))
		for j, res := range x.Resources {
			fs[i].Resources[j] = resourceJSON{ID: res.ID, Kind: res.Kind, NameKo: res.NameKo, NameEn: res.NameEn, Capacity: res.Capacity,
				SlotMinutes: res.SlotMinutes, Allocation: res.Allocation, Approval: res.Approval, URL: resourcePath(res.ID)}
		}
	}
	out["facilities"] = fs
	if found.Origin != nil {
		out["origin"] = toPlaceJSON(*found.Origin)
	}
	if len(found.Choices) > 0 {
		out["choices"] = web.JSONList(found.Choices, toPlaceJSON)
	}
	return web.JSON(w, http.StatusOK, out)
}
