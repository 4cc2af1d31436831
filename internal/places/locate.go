package places

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/maeul/maeul/internal/city"
)

// Place is where a search starts from: a neighbourhood or a facility a
// citizen named.
type Place struct {
	NameKo, NameEn string
	At             Point
}

// Name is the place's name in lang.
func (p Place) Name(lang string) string {
	if lang == "en" {
		return p.NameEn
	}
	return p.NameKo
}

// MaxLocate bounds the places a search offers to choose from.
const MaxLocate = 12

// numbered strips the number administrative dongs carry ("우1동", "U
// 1(il)-dong"), which addresses leave out: "우동" names 우1동, 우2동 and
// 우3동 together.
var (
	numberedKo = regexp.MustCompile(`\d+(가)?동$`)
	numberedEn = regexp.MustCompile(`\s*\d+(\([a-z]+\))?-dong$`)
)

// Locate finds the places a text names: a neighbourhood (동) as addresses
// write it, optionally with its district to tell apart dongs of one name,
// or a facility by name. It is a stand-in for a geocoder: the city's
// address database is not open data.
func (s *Service) Locate(ctx context.Context, text string) ([]Place, error) {
	q := normalise(text)
	if len([]rune(q)) < 2 {
		return nil, nil
	}
	if p, ok := coordinates(text); ok {
		return []Place{p}, nil
	}
	districts := map[string]bool{}
	for _, d := range city.Districts() {
		if strings.Contains(q, normalise(d.NameKo)) || strings.Contains(q, normalise(d.NameEn)) {
			districts[d.Code] = true
		}
	}
	type group struct {
		place Place
		n     int
	}
	var order []string
	groups := map[string]*group{}
	for _, d := range city.Dongs() {
		if len(districts) > 0 && !districts[d.District()] {
			continue
		}
		baseKo := numberedKo.ReplaceAllString(d.NameKo, "동")
		baseEn := numberedEn.ReplaceAllString(d.NameEn, "-dong")
		full := contains(q, d.NameKo) || contains(q, d.NameEn)
		if !full && !contains(q, baseKo) && !contains(q, baseEn) {
			continue
		}
		dist, _ := city.DistrictByCode(d.District())
		key := d.District() + baseKo
		nameKo, nameEn := dist.NameKo+" "+baseKo, baseEn+", "+dist.NameEn
		if full {
			key = d.Code
			nameKo, nameEn = dist.NameKo+" "+d.NameKo, d.NameEn+", "+dist.NameEn
		}
		g, ok := groups[key]
		if !ok {
			g = &group{place: Place{NameKo: nameKo, NameEn: nameEn}}
			groups[key] = g
			order = append(order, key)
		}
		// The centre of a dong group is the mean of its dongs' centres.
		g.n++
		g.place.At.Lon += (d.Centroid[0] - g.place.At.Lon) / float64(g.n)
		g.place.At.Lat += (d.Centroid[1] - g.place.At.Lat) / float64(g.n)
	}
	var out []Place
	for _, k := range order {
		out = append(out, groups[k].place)
	}
	// A whole dong name matched beats the group it belongs to.
	if slices.ContainsFunc(order, func(k string) bool { return len(k) == 7 && !strings.ContainsFunc(k, isHangul) }) {
		out = out[:0]
		for _, k := range order {
			if len(k) == 7 && !strings.ContainsFunc(k, isHangul) {
				out = append(out, groups[k].place)
			}
		}
	}
	if len(out) == 0 {
		sn, err := s.snap(ctx)
		if err != nil {
			return nil, err
		}
		for _, f := range sn.facilities {
			if contains(normalise(f.NameKo), q) || contains(normalise(f.NameEn), q) {
				out = append(out, Place{NameKo: f.NameKo, NameEn: f.NameEn, At: f.At})
				if len(out) == MaxLocate {
					break
				}
			}
		}
	}
	return out[:min(len(out), MaxLocate)], nil
}

func isHangul(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 }

// normalise lowercases and drops spaces, punctuation and the city's name,
// which every address in it carries.
func normalise(s string) string {
	s = strings.ToLower(s)
	for _, city := range []string{"부산광역시", "부산시", "busan metropolitan city", "busan"} {
		s = strings.ReplaceAll(s, city, "")
	}
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == ',' || r == '.' || r == '-' || r == '(' || r == ')' {
			return -1
		}
		return r
	}, s)
}

func contains(normalised, name string) bool {
	n := normalise(name)
	return n != "" && strings.Contains(normalised, n)
}

// coordinates reads "35.163, 129.163" (latitude first, as map apps copy
// them) or "129.163, 35.163": the order is told by the city's bounds.
func coordinates(text string) (Place, bool) {
	a, b, ok := strings.Cut(text, ",")
	if !ok {
		return Place{}, false
	}
	x, errX := strconv.ParseFloat(strings.TrimSpace(a), 64)
	y, errY := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if errX != nil || errY != nil {
		return Place{}, false
	}
	for _, p := range []Point{{Lon: y, Lat: x}, {Lon: x, Lat: y}} {
		if City.Contains(p) {
			label := strconv.FormatFloat(p.Lat, 'f', 5, 64) + ", " + strconv.FormatFloat(p.Lon, 'f', 5, 64)
			return Place{NameKo: label, NameEn: label, At: p}, true
		}
	}
	return Place{}, false
}
