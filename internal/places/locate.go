package places

import (
	"context"
	"strconv"
	"strings"
	"unicode"
)

// Kinds of place the locator finds, in the order a list of them shows
// them: the larger area first.
const (
	KindDistrict = "district" // 구·군
	KindZone     = "zone"     // 생활권
	KindDong     = "dong"     // 동
	KindLandmark = "landmark" // a station or market
	KindFacility = "facility" // 시설
	KindPoint    = "point"    // coordinates
)

// kindRank orders kinds in lists.
var kindRank = map[string]int{KindDistrict: 0, KindZone: 1, KindDong: 2, KindLandmark: 3, KindFacility: 4, KindPoint: 5}

// Place is where a search starts from: a district, living zone,
// neighbourhood, station, market or facility a citizen named, or a point.
type Place struct {
	NameKo, NameEn string
	At             Point
	Kind           string // one of the Kind constants
}

// Name is the place's name in lang.
func (p Place) Name(lang string) string {
	if lang == "en" {
		return p.NameEn
	}
	return p.NameKo
}

// Landmark is a place people know by name that is none of the places'
// own: a station or a market (the digital guides' spots, passed in by
// the app).
type Landmark struct {
	NameKo, NameEn string
	Lat, Lon       float64
}

// MaxLocate bounds the places a search offers to choose from.
const MaxLocate = 12

// MaxSuggest bounds the close names offered when nothing matched.
const MaxSuggest = 5

// Locate finds the places a text names: a neighbourhood (동) as addresses
// write it, optionally with its district to tell apart dongs of one name;
// a district ("해운대구", "Haeundae-gu", "해운대"); a living zone; a
// station or market; a facility by its name or part of it; or
// coordinates. Several places mean the text could name any of them; none
// means nothing matched (Suggest offers close names). It is a stand-in for
// a geocoder: the city's address database is not open data.
func (s *Service) Locate(ctx context.Context, text string) ([]Place, error) {
	if p, ok := coordinates(text); ok {
		return []Place{p}, nil
	}
	full, stripped := queryForms(text)
	if runeCount(full) < 2 {
		return nil, nil
	}
	ix, err := s.nameIndex(ctx)
	if err != nil {
		return nil, err
	}
	return ix.locate(full, stripped), nil
}

// Suggest offers up to MaxSuggest places whose names are close to text
// (sharing most of its syllables, or a letter or two away from it), for
// when Locate found none.
func (s *Service) Suggest(ctx context.Context, text string) ([]Place, error) {
	full, stripped := queryForms(text)
	if runeCount(full) < 2 {
		return nil, nil
	}
	ix, err := s.nameIndex(ctx)
	if err != nil {
		return nil, err
	}
	q := full
	if runeCount(stripped) >= 2 {
		q = stripped
	}
	return ix.suggest(q), nil
}

// cityNames are the ways an address names the city, longest first.
var cityNames = []string{"부산광역시", "busan metropolitan city", "busan-si", "부산시", "부산", "busan"}

// queryForms is the normalised text, and the same without the city's name
// when the text starts or ends with it as a word of its own ("부산 해운대구",
// "U-dong, Busan") — but not in "부산역" or "부산진구", which are names.
func queryForms(text string) (full, stripped string) {
	if len(text) > 200 {
		text = text[:200]
	}
	t := strings.ToLower(strings.TrimSpace(demoMarker.ReplaceAllString(text, "")))
	full = normalise(t)
	rest := t
	for _, c := range cityNames {
		if after, ok := strings.CutPrefix(rest, c); ok && (after == "" || isSeparator(firstRune(after))) {
			rest = after
			break
		}
	}
	for _, c := range cityNames {
		if before, ok := strings.CutSuffix(rest, c); ok && before != "" && isSeparator(lastRune(before)) {
			rest = before
			break
		}
	}
	if rest != t {
		stripped = normalise(rest)
	}
	return full, stripped
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

func lastRune(s string) rune {
	r := []rune(s)
	return r[len(r)-1]
}

func isSeparator(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
}

// normalise lowercases and keeps letters and digits only: spaces,
// punctuation and symbols are how people differ in writing one name.
func normalise(s string) string {
	s = strings.ToLower(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

func runeCount(s string) int { return len([]rune(s)) }

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
			return Place{NameKo: label, NameEn: label, At: p, Kind: KindPoint}, true
		}
	}
	return Place{}, false
}
