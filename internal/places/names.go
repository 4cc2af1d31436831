package places

import (
	"context"

	"github.com/maeul/maeul/internal/city"
	"github.com/maeul/maeul/internal/i18n"
)

// District is an administrative district (구·군) of the city.
type District struct {
	Code   string
	NameKo string
	NameEn string
}

// Name is the district's name in lang.
func (d District) Name(lang string) string { return i18n.For(lang).Pick(d.NameKo, d.NameEn) }

// Districts are the districts the city's living zones lie in, in code
// order, named from the administrative list (a zone file names only their
// codes); all of the city's districts while no zone names one.
func (s *Service) Districts(ctx context.Context) ([]District, error) {
	zones, err := s.Zones(ctx)
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	for _, z := range zones {
		if z.District != "" {
			used[z.District] = true
		}
	}
	all := len(used) == 0
	var out []District
	for _, d := range city.Districts() {
		if all || used[d.Code] {
			out = append(out, District{Code: d.Code, NameKo: d.NameKo, NameEn: d.NameEn})
			delete(used, d.Code)
		}
	}
	// A district the administrative list does not know is named by its
	// code rather than left out.
	for _, z := range zones {
		if used[z.District] {
			out = append(out, District{Code: z.District, NameKo: z.District})
			delete(used, z.District)
		}
	}
	return out, nil
}

// DistrictName names a district in lang; its code when it is not known.
func DistrictName(code, lang string) string {
	d, ok := city.DistrictByCode(code)
	if !ok {
		return code
	}
	return District{Code: d.Code, NameKo: d.NameKo, NameEn: d.NameEn}.Name(lang)
}

// NamedZones are the living zones in the places' data, the city's own
// once imported; while none is stored, the demo's, without boundaries (a
// demo city whose places are not made yet still names its residents'
// zones, as the locator finds them).
func (s *Service) NamedZones(ctx context.Context) ([]Zone, error) {
	zones, err := s.Zones(ctx)
	if err != nil || len(zones) > 0 {
		return zones, err
	}
	for _, z := range city.DemoZones() {
		zones = append(zones, Zone{Code: z.Code, District: z.District, NameKo: z.Name("ko"), NameEn: z.Name("en"),
			Population: int64(z.Population), Centre: Point{Lon: z.Centroid[0], Lat: z.Centroid[1]}, Demo: true})
	}
	return zones, nil
}

// Names are the names in lang of the city's districts and of its living
// zones (NamedZones), by code.
func (s *Service) Names(ctx context.Context, lang string) (map[string]string, error) {
	zones, err := s.NamedZones(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, d := range city.Districts() {
		out[d.Code] = District{Code: d.Code, NameKo: d.NameKo, NameEn: d.NameEn}.Name(lang)
	}
	for _, z := range zones {
		out[z.Code] = z.Name(lang)
	}
	return out, nil
}
