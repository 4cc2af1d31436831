package booking

import (
	"cmp"
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/maeul/maeul/internal/city"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/places"
	"github.com/maeul/maeul/internal/web"
)

// PerPage is how many facilities a page of the catalogue lists.
const PerPage = 20

// maxSearchText bounds what is read of a typed name or place.
const maxSearchText = 100

// Search is what a citizen looks for in the catalogue of bookable
// facilities. The zero Search finds everything, by name.
type Search struct {
	Text     string // words of the facility's or a resource's name
	District string // a district's code
	Category string // a facility category of the places part
	StepFree bool   // only facilities without steps at the entrance
	// Near is a place typed by the citizen; the results are then ordered
	// by the distance from it. At, when set, is where a chosen place is
	// (from a "which place did you mean?" link), and Near its name.
	Near string
	At   *places.Point
	Page int // from 1
}

// searchFromQuery reads a search from a page's or the API's query.
// Unknown values are ignored rather than refused, because they come from
// links people share.
func searchFromQuery(q url.Values) Search {
	s := Search{Text: clip(q.Get("q")), Near: clip(q.Get("near")), StepFree: q.Get("step_free") != "" && q.Get("step_free") != "0"}
	if _, ok := city.DistrictByCode(q.Get("district")); ok {
		s.District = q.Get("district")
	}
	if places.IsCategory(q.Get("category")) {
		s.Category = q.Get("category")
	}
	// A chosen place travels as its point and its name; a point whose name
	// no longer matches what is in the box was for another place.
	lat, errLat := strconv.ParseFloat(q.Get("lat"), 64)
	lon, errLon := strconv.ParseFloat(q.Get("lon"), 64)
	if p := (places.Point{Lon: lon, Lat: lat}); errLat == nil && errLon == nil && places.City.Contains(p) &&
		(s.Near == "" || clip(q.Get("label")) == s.Near) {
		s.At = &p
		if s.Near == "" {
			s.Near = strconv.FormatFloat(lat, 'f', 5, 64) + ", " + strconv.FormatFloat(lon, 'f', 5, 64)
		}
	}
	s.Page = web.PageNumber(q.Get("page"))
	return s
}

// clip trims s and keeps at most maxSearchText characters of it, valid
// UTF-8 only.
func clip(s string) string {
	s = strings.TrimSpace(strings.ToValidUTF8(s, ""))
	if utf8.RuneCountInString(s) > maxSearchText {
		s = string([]rune(s)[:maxSearchText])
	}
	return s
}

// Query is the search as a query string, on the given page: the links of
// the pager and of the places to choose from keep every filter.
func (s Search) Query(page int) url.Values {
	v := url.Values{}
	set := func(k, x string) {
		if x != "" {
			v.Set(k, x)
		}
	}
	set("q", s.Text)
	set("district", s.District)
	set("category", s.Category)
	if s.StepFree {
		v.Set("step_free", "1")
	}
	set("near", s.Near)
	if s.At != nil {
		v.Set("lat", strconv.FormatFloat(s.At.Lat, 'f', 6, 64))
		v.Set("lon", strconv.FormatFloat(s.At.Lon, 'f', 6, 64))
		v.Set("label", s.Near)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return v
}

// Choose is the search from a place chosen among several.
func (s Search) Choose(p places.Place, lang string) Search {
	s.Near, s.At, s.Page = clip(p.Name(lang)), &p.At, 1
	return s
}

// Listing is a facility with something to book.
type Listing struct {
	Facility  places.Facility
	District  string // its district's code, "" outside every zone
	Resources []Resource
	Metres    float64 // from the search's place, when it has one
}

// Found is one page of what a search found.
type Found struct {
	Listings []Listing
	Total    int // listings on every page
	Page     int
	Pages    int
	// Origin is the place the listings are ordered from, when the search
	// named one.
	Origin *places.Place
	// Choices are the places the search's Near may mean; there are no
	// listings until one is chosen.
	Choices []places.Place
	// Suggestions are places with names close to a Near that named none
	// ("해운데구"), offered beside the refusal.
	Suggestions []places.Place
}

// First and Last are the positions of the page's first and last listing,
// from 1.
func (f Found) First() int { return min((f.Page-1)*PerPage+1, f.Total) }
func (f Found) Last() int  { return (f.Page-1)*PerPage + len(f.Listings) }

// Find searches the facilities that have something to book. A place that
// cannot be found is refused (naming the field "near"), with the places
// whose names are close as suggestions; a place that names several gives
// them as choices.
func (s *Service) Find(ctx context.Context, q Search, lang string) (Found, error) {
	found := Found{Page: 1}
	if q.Near != "" {
		if q.At != nil {
			found.Origin = &places.Place{NameKo: q.Near, NameEn: q.Near, At: *q.At}
		} else {
			ps, err := s.facilities.Locate(ctx, q.Near)
			if err != nil {
				return found, err
			}
			switch len(ps) {
			case 0:
				if found.Suggestions, err = s.facilities.Suggest(ctx, q.Near); err != nil {
					return found, err
				}
				return found, errs.Field("near", "booking.place_not_found", q.Near)
			case 1:
				found.Origin = &ps[0]
			default:
				found.Choices = ps
				return found, nil
			}
		}
	}
	all, err := s.catalogue(ctx)
	if err != nil {
		return found, err
	}
	text := fold(q.Text)
	// The facilities are big: filter and sort pointers, copy one page.
	hits := make([]*Listing, 0, len(all))
	for i := range all {
		l := &all[i]
		f := &l.Facility
		if (q.District != "" && l.District != q.District) || (q.Category != "" && f.Category != q.Category) || (q.StepFree && !f.StepFree) {
			continue
		}
		if text != "" && !l.matches(text) {
			continue
		}
		if found.Origin != nil {
			l.Metres = places.Metres(found.Origin.At, f.At)
		}
		hits = append(hits, l)
	}
	byName := func(a, b *Listing) int {
		return cmp.Or(cmp.Compare(a.Facility.Name(lang), b.Facility.Name(lang)), cmp.Compare(a.Facility.ID, b.Facility.ID))
	}
	if found.Origin != nil {
		slices.SortFunc(hits, func(a, b *Listing) int { return cmp.Or(cmp.Compare(a.Metres, b.Metres), byName(a, b)) })
	} else {
		slices.SortFunc(hits, byName)
	}
	found.Total = len(hits)
	found.Pages = max(1, (len(hits)+PerPage-1)/PerPage)
	found.Page = min(max(q.Page, 1), found.Pages)
	lo := (found.Page - 1) * PerPage
	for _, l := range hits[lo:min(lo+PerPage, len(hits))] {
		found.Listings = append(found.Listings, *l)
	}
	return found, nil
}

// catalogue is every facility with an active resource, each with its
// resources: one query for the resources, the facilities and zones from
// the places part's snapshot.
func (s *Service) catalogue(ctx context.Context) ([]Listing, error) {
	rs, err := s.Resources(ctx, false)
	if err != nil {
		return nil, err
	}
	zones, err := s.facilities.Zones(ctx)
	if err != nil {
		return nil, err
	}
	district := make(map[string]string, len(zones))
	for _, z := range zones {
		district[z.Code] = z.District
	}
	out := make([]Listing, 0, len(rs))
	// Resources come ordered by facility: each facility's are a run.
	for i, j := 0, 0; i < len(rs); i = j {
		for j = i + 1; j < len(rs) && rs[j].FacilityID == rs[i].FacilityID; j++ {
		}
		f, err := s.facilities.Facility(ctx, rs[i].FacilityID)
		if errs.CodeOf(err) == errs.NotFound {
			continue // the facility has closed down
		}
		if err != nil {
			return nil, err
		}
		out = append(out, Listing{Facility: f, District: district[f.Zone], Resources: rs[i:j:j]})
	}
	return out, nil
}

// matches reports whether the folded text is in the facility's name or
// one of its resources' names, in either language.
func (l *Listing) matches(text string) bool {
	if strings.Contains(fold(l.Facility.NameKo), text) || strings.Contains(fold(l.Facility.NameEn), text) {
		return true
	}
	for _, r := range l.Resources {
		if strings.Contains(fold(r.NameKo), text) || strings.Contains(fold(r.NameEn), text) {
			return true
		}
	}
	return false
}

// fold lowercases s and drops its spaces and punctuation, so that "체육 센터"
// finds "체육센터" and "table tennis" finds "Table-tennis".
func fold(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsPunct(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}
