package places

import (
	"cmp"
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/city"
)

// nameIndex is every name the locator knows, built once for a version of
// the places and a list of landmarks: the exact names and their aliases in
// a map, every name's syllable pairs (bigrams) in an inverted index for
// partial names, and the dongs as addresses write them.
type nameIndex struct {
	version   int64
	landmarks []Landmark
	checked   time.Time // when the landmarks were last asked for

	entries []nameEntry
	names   []indexedName
	exact   map[string][]int32 // normalised name → names
	grams   map[uint64][]int32 // bigram → names having it, once each
	short   []int32            // the names of everything but facilities, scanned for typos
	dongs   []dongName
}

// nameEntry is one place the locator can answer with.
type nameEntry struct {
	place    Place
	district string // the district's code, "" when not known
}

// indexedName is one of an entry's names, normalised.
type indexedName struct {
	entry    int32
	key      string
	grams    int    // distinct bigrams of key
	strength int8   // how surely an exact match names the entry
	jamo     []rune // key in letters (Hangul split into jamo), for names in short
}

// Strengths of an exact match: a place's own name, a district without its
// "구", another shortened name ("서면" for 서면역), a name that needs its
// district ("제3생활권").
const (
	strengthName     = 4
	strengthDistrict = 3
	strengthAlias    = 2
	strengthLocal    = 1
)

// dongName is a dong as the containment of addresses reads it.
type dongName struct {
	d                              city.Dong
	fullKo, fullEn, baseKo, baseEn string // normalised
	baseNameKo, baseNameEn         string
}

// numbered strips the number administrative dongs carry ("우1동", "U
// 1(il)-dong"), which addresses leave out: "우동" names 우1동, 우2동 and
// 우3동 together.
var (
	numberedKo = regexp.MustCompile(`\d+(가)?동$`)
	numberedEn = regexp.MustCompile(`\s*\d+(\([a-z]+\))?-dong$`)
	readingEn  = regexp.MustCompile(`\([a-z]+\)`)
	demoMarker = regexp.MustCompile(`\((시연|demo)[^)]*\)`)
)

// nameIndex returns the index of the current places and landmarks,
// building it when either changed. The landmarks are asked for at most
// once per Fresh, as the places' version is.
func (s *Service) nameIndex(ctx context.Context) (*nameIndex, error) {
	sn, err := s.snap(ctx)
	if err != nil {
		return nil, err
	}
	s.locMu.Lock()
	defer s.locMu.Unlock()
	now := s.Now()
	ix := s.names
	if ix != nil && ix.version == sn.version && now.Sub(ix.checked) < s.Fresh {
		return ix, nil
	}
	var landmarks []Landmark
	if s.Landmarks != nil {
		if landmarks, err = s.Landmarks(ctx); err != nil {
			return nil, err
		}
	}
	if ix != nil && ix.version == sn.version && slices.Equal(ix.landmarks, landmarks) {
		ix.checked = now
		return ix, nil
	}
	ix = buildNameIndex(sn, landmarks)
	ix.checked = now
	s.names = ix
	return ix, nil
}

func buildNameIndex(sn *snapshot, landmarks []Landmark) *nameIndex {
	ix := &nameIndex{version: sn.version, landmarks: landmarks, exact: map[string][]int32{}, grams: map[uint64][]int32{}}
	add := func(p Place, district string) int32 {
		ix.entries = append(ix.entries, nameEntry{place: p, district: district})
		return int32(len(ix.entries) - 1)
	}
	for _, d := range city.Districts() {
		e := add(Place{NameKo: d.NameKo, NameEn: d.NameEn, At: Point{Lon: d.Centroid[0], Lat: d.Centroid[1]}, Kind: KindDistrict}, d.Code)
		ix.name(e, d.NameKo, strengthName)
		ix.name(e, d.NameEn, strengthName)
		ix.name(e, strings.TrimSuffix(strings.TrimSuffix(d.NameKo, "구"), "군"), strengthDistrict)
		ix.name(e, districtShortEn(d.NameEn), strengthDistrict)
	}
	ix.addDongs()
	ix.addZones(sn.zones)
	zoneDistrict := map[string]string{}
	for _, z := range sn.zones {
		zoneDistrict[z.Code] = z.District
	}
	for _, l := range landmarks {
		at := Point{Lon: l.Lon, Lat: l.Lat}
		if !City.Contains(at) || (l.NameKo == "" && l.NameEn == "") {
			continue
		}
		p := Place{NameKo: l.NameKo, NameEn: l.NameEn, At: at, Kind: KindLandmark}
		if p.NameEn == "" {
			p.NameEn = p.NameKo
		}
		if p.NameKo == "" {
			p.NameKo = p.NameEn
		}
		e := add(p, districtNear(at))
		ix.name(e, p.NameKo, strengthName)
		ix.name(e, p.NameEn, strengthName)
		for _, suffix := range []string{"역", "시장", "station", "market"} {
			for _, n := range []string{p.NameKo, p.NameEn} {
				if base, ok := strings.CutSuffix(strings.ToLower(strings.TrimSpace(n)), suffix); ok && !slices.Contains(cityNames, strings.TrimSpace(base)) {
					ix.name(e, base, strengthAlias)
				}
			}
		}
	}
	for _, f := range sn.facilities {
		e := add(Place{NameKo: f.NameKo, NameEn: f.Name("en"), At: f.At, Kind: KindFacility}, zoneDistrict[f.Zone])
		ix.name(e, f.NameKo, strengthName)
		ix.name(e, f.NameEn, strengthName)
	}
	return ix
}

// name adds a name of entry e, without the demo's label.
func (ix *nameIndex) name(e int32, name string, strength int8) {
	key := normalise(demoMarker.ReplaceAllString(name, ""))
	if runeCount(key) < 2 {
		return
	}
	for _, id := range ix.exact[key] {
		if ix.names[id].entry == e {
			return
		}
	}
	id := int32(len(ix.names))
	n := indexedName{entry: e, key: key, strength: strength}
	for _, g := range bigrams(key) {
		ix.grams[g] = append(ix.grams[g], id)
		n.grams++
	}
	if ix.entries[e].place.Kind != KindFacility {
		n.jamo = letters(key)
		ix.short = append(ix.short, id)
	}
	ix.names = append(ix.names, n)
	ix.exact[key] = append(ix.exact[key], id)
}

// districtShortEn is "Haeundae" of "Haeundae-gu".
func districtShortEn(name string) string {
	for _, suffix := range []string{"-gu", "-gun"} {
		if base, ok := strings.CutSuffix(name, suffix); ok {
			return base
		}
	}
	return name
}

// districtNear is the district of the dong whose centre is nearest p.
func districtNear(p Point) string {
	best, code := 0.0, ""
	for _, d := range cityDongs {
		if m := Metres(p, Point{Lon: d.Centroid[0], Lat: d.Centroid[1]}); code == "" || m < best {
			best, code = m, d.District()
		}
	}
	return code
}

var cityDongs = city.Dongs()

// addDongs adds every dong by its name, and every group of numbered dongs
// by the name addresses give it, at the mean of their centres.
func (ix *nameIndex) addDongs() {
	type group struct {
		e int32
		n int
	}
	groups := map[string]*group{}
	for _, d := range cityDongs {
		dist, _ := city.DistrictByCode(d.District())
		baseKo := numberedKo.ReplaceAllString(d.NameKo, "동")
		baseEn := numberedEn.ReplaceAllString(d.NameEn, "-dong")
		ix.dongs = append(ix.dongs, dongName{d: d, fullKo: normalise(d.NameKo), fullEn: normalise(d.NameEn),
			baseKo: normalise(baseKo), baseEn: normalise(baseEn), baseNameKo: baseKo, baseNameEn: baseEn})
		at := Point{Lon: d.Centroid[0], Lat: d.Centroid[1]}
		ix.entries = append(ix.entries, nameEntry{place: Place{NameKo: dist.NameKo + " " + d.NameKo, NameEn: d.NameEn + ", " + dist.NameEn, At: at, Kind: KindDong},
			district: d.District()})
		e := int32(len(ix.entries) - 1)
		ix.name(e, d.NameKo, strengthName)
		ix.name(e, d.NameEn, strengthName)
		ix.name(e, readingEn.ReplaceAllString(d.NameEn, ""), strengthName)
		if baseKo == d.NameKo {
			continue
		}
		key := d.District() + baseKo
		g, ok := groups[key]
		if !ok {
			ix.entries = append(ix.entries, nameEntry{place: Place{NameKo: dist.NameKo + " " + baseKo, NameEn: baseEn + ", " + dist.NameEn, Kind: KindDong},
				district: d.District()})
			g = &group{e: int32(len(ix.entries) - 1)}
			groups[key] = g
			ix.name(g.e, baseKo, strengthName)
			ix.name(g.e, baseEn, strengthName)
		}
		g.n++
		p := &ix.entries[g.e].place
		p.At.Lon += (at.Lon - p.At.Lon) / float64(g.n)
		p.At.Lat += (at.Lat - p.At.Lat) / float64(g.n)
	}
}

// addZones adds the stored living zones, or the demo's when none are
// stored; a demo zone also by the ways people say it: "해운대 3생활권",
// "Haeundae zone 3", or "제3생활권" after its district.
func (ix *nameIndex) addZones(stored []Zone) {
	demo := map[string]city.Zone{}
	for _, z := range city.DemoZones() {
		demo[z.Code] = z
	}
	zones := stored
	if len(zones) == 0 {
		for _, z := range city.DemoZones() {
			zones = append(zones, Zone{Code: z.Code, District: z.District, NameKo: z.Name("ko"), NameEn: z.Name("en"),
				Centre: Point{Lon: z.Centroid[0], Lat: z.Centroid[1]}})
		}
	}
	for _, z := range zones {
		ix.entries = append(ix.entries, nameEntry{place: Place{NameKo: z.NameKo, NameEn: z.Name("en"), At: z.Centre, Kind: KindZone}, district: z.District})
		e := int32(len(ix.entries) - 1)
		ix.name(e, z.NameKo, strengthName)
		ix.name(e, z.NameEn, strengthName)
		cz, ok := demo[z.Code]
		if !ok {
			continue
		}
		d, _ := city.DistrictByCode(cz.District)
		n := strconv.Itoa(cz.Number)
		for _, dist := range []string{d.NameKo, strings.TrimSuffix(strings.TrimSuffix(d.NameKo, "구"), "군")} {
			for _, form := range []string{"제" + n + "생활권", n + "생활권", "생활권" + n} {
				ix.name(e, dist+form, strengthName)
			}
		}
		for _, dist := range []string{d.NameEn, districtShortEn(d.NameEn)} {
			for _, form := range []string{"zone " + n, "living zone " + n} {
				ix.name(e, dist+form, strengthName)
			}
		}
		for _, form := range []string{"제" + n + "생활권", n + "생활권", "생활권" + n, "zone" + n, "living zone " + n} {
			ix.name(e, form, strengthLocal)
		}
	}
}

// locate answers the normalised text: full, and stripped of the city's
// name when it had it as a word.
func (ix *nameIndex) locate(full, stripped string) []Place {
	forms := []string{full}
	if runeCount(stripped) >= 2 && stripped != full {
		forms = []string{stripped, full}
	}
	// A whole name, as it is, first: "부산 도서관" is 부산도서관 when there is
	// one.
	for _, f := range []string{full, stripped} {
		if hits := ix.exactBest(f, nil); len(hits) > 0 {
			return ix.places(hits)
		}
	}
	for _, f := range forms {
		if out := ix.locateIn(f); len(out) > 0 {
			return out
		}
	}
	return nil
}

// locateIn reads q as an address or a name: a district in it narrows what
// the rest names; a whole or partial name beats the dong an address
// mentions; a dong beats its district.
func (ix *nameIndex) locateIn(q string) []Place {
	districts, rest := districtsIn(q)
	dongs, dongNames := ix.dongsIn(q, districts)
	if hits := ix.partial(q, nil, dongNames, false); len(hits) > 0 {
		return ix.places(hits)
	}
	if len(districts) > 0 && runeCount(rest) >= 2 {
		if hits := ix.exactBest(rest, districts); len(hits) > 0 {
			return ix.places(hits)
		}
		if hits := ix.partial(rest, districts, dongNames, true); len(hits) > 0 {
			return ix.places(hits)
		}
	}
	if len(dongs) > 0 {
		return dongs[:min(len(dongs), MaxLocate)]
	}
	var out []Place
	for _, d := range city.Districts() {
		if districts[d.Code] {
			out = append(out, Place{NameKo: d.NameKo, NameEn: d.NameEn, At: Point{Lon: d.Centroid[0], Lat: d.Centroid[1]}, Kind: KindDistrict})
		}
	}
	return out
}

// districtNames are the districts' names as they are looked for inside a
// text, longest first: 강서구 is not also 서구.
var districtNames = func() []struct{ key, code string } {
	var out []struct{ key, code string }
	for _, d := range city.Districts() {
		out = append(out, struct{ key, code string }{normalise(d.NameKo), d.Code}, struct{ key, code string }{normalise(d.NameEn), d.Code})
	}
	slices.SortStableFunc(out, func(a, b struct{ key, code string }) int { return cmp.Compare(len(b.key), len(a.key)) })
	return out
}()

// districtsIn are the districts q names in full, and what is left of q
// without them.
func districtsIn(q string) (map[string]bool, string) {
	var found map[string]bool
	rest := q
	for _, d := range districtNames {
		if i := strings.Index(rest, d.key); i >= 0 {
			if found == nil {
				found = map[string]bool{}
			}
			found[d.code] = true
			rest = rest[:i] + "\x00" + rest[i+len(d.key):]
		}
	}
	return found, strings.ReplaceAll(rest, "\x00", "")
}

// dongsIn are the dongs an address q names, in the districts it names if
// any: a dong named whole ("우1동") beats the group of numbered dongs
// ("우동"), and a group is at the middle of its dongs. names are the
// normalised names of every dong matched.
func (ix *nameIndex) dongsIn(q string, districts map[string]bool) ([]Place, []string) {
	if !strings.ContainsAny(q, "동읍면") && !strings.Contains(q, "dong") && !strings.Contains(q, "eup") && !strings.Contains(q, "myeon") {
		return nil, nil
	}
	var names []string
	type group struct {
		place Place
		n     int
		whole bool
	}
	var order []string
	groups := map[string]*group{}
	wholes := false
	for _, dn := range ix.dongs {
		d := dn.d
		if len(districts) > 0 && !districts[d.District()] {
			continue
		}
		whole := has(q, dn.fullKo) || has(q, dn.fullEn)
		if !whole && !has(q, dn.baseKo) && !has(q, dn.baseEn) {
			continue
		}
		names = append(names, dn.fullKo, dn.fullEn)
		dist, _ := city.DistrictByCode(d.District())
		key := d.District() + dn.baseKo
		nameKo, nameEn := dist.NameKo+" "+dn.baseNameKo, dn.baseNameEn+", "+dist.NameEn
		if whole {
			key = d.Code
			nameKo, nameEn = dist.NameKo+" "+d.NameKo, d.NameEn+", "+dist.NameEn
			wholes = true
		}
		g, ok := groups[key]
		if !ok {
			g = &group{place: Place{NameKo: nameKo, NameEn: nameEn, Kind: KindDong}, whole: whole}
			groups[key] = g
			order = append(order, key)
		}
		g.n++
		g.place.At.Lon += (d.Centroid[0] - g.place.At.Lon) / float64(g.n)
		g.place.At.Lat += (d.Centroid[1] - g.place.At.Lat) / float64(g.n)
	}
	var out []Place
	for _, k := range order {
		if g := groups[k]; g.whole || !wholes {
			out = append(out, g.place)
		}
	}
	return out, names
}

func has(q, name string) bool { return name != "" && strings.Contains(q, name) }

// exactBest are the names equal to q of the greatest strength, in the
// districts if any are given (a place of no known district is in all).
func (ix *nameIndex) exactBest(q string, districts map[string]bool) []int32 {
	if q == "" {
		return nil
	}
	var out []int32
	best := int8(0)
	for _, id := range ix.exact[q] {
		n := ix.names[id]
		if !ix.inDistricts(n.entry, districts) {
			continue
		}
		switch {
		case n.strength > best:
			best, out = n.strength, []int32{n.entry}
		case n.strength == best && !slices.Contains(out, n.entry):
			out = append(out, n.entry)
		}
	}
	slices.SortFunc(out, ix.compare)
	return out
}

func (ix *nameIndex) inDistricts(e int32, districts map[string]bool) bool {
	d := ix.entries[e].district
	return len(districts) == 0 || d == "" || districts[d]
}

// scored is an entry and how well a name matched it.
type scored struct {
	entry int32
	score float64
}

// Tiers of a partial match, best first: the text contains a place's whole
// name ("서면역 2번 출구"); a name contains the whole text ("해운대구립" of
// 해운대구립도서관); a name shares most of the text's syllable pairs
// ("해운대도서관" and 해운대구립도서관, by Dice's coefficient of their
// bigrams).
const (
	tierNone = iota
	tierAlike
	tierContainsText
	tierContainedName
)

// partial finds the entries whose names match part of q, of the best tier
// found: every one of the two containing tiers, the closest of the
// alike. Districts and dongs are found only by names containing q, as
// addresses are read for them elsewhere, and shortened names ("서면") only
// whole. When q also names dongs (dongs are their names), a name merely
// containing q does not match, and a name alike must be closer and name
// one of the dongs: "Jwa1-dong" is the dong, not every facility named
// after it, and "좌동 작은도서관" a library of 좌동 or none. named leaves out
// districts and dongs altogether.
func (ix *nameIndex) partial(q string, districts map[string]bool, dongs []string, named bool) []int32 {
	strict := len(dongs) > 0
	qg := bigrams(q)
	if len(qg) == 0 {
		return nil
	}
	common := map[int32]int{}
	for _, g := range qg {
		for _, id := range ix.grams[g] {
			common[id]++
		}
	}
	type match struct {
		tier  int
		score float64
	}
	best := map[int32]match{}
	top := tierNone
	alike := 0.6
	if strict {
		alike = 0.75
	}
	for id, c := range common {
		n := ix.names[id]
		kind := ix.entries[n.entry].place.Kind
		area := kind == KindDistrict || kind == KindDong
		if named && area || !ix.inDistricts(n.entry, districts) {
			continue
		}
		whole := n.strength == strengthName && !area
		m := match{score: 2 * float64(c) / float64(len(qg)+n.grams)}
		switch {
		case c == n.grams && whole && runeCount(n.key) >= 3 && strings.Contains(q, n.key):
			m.tier = tierContainedName
			m.score += float64(runeCount(n.key)) // the longest name contained
		case c == len(qg) && !strict && strings.Contains(n.key, q):
			m.tier = tierContainsText
			if strings.HasPrefix(n.key, q) {
				m.score += 0.2
			}
		case m.score >= alike && whole && (!strict || slices.ContainsFunc(dongs, func(d string) bool { return has(n.key, d) })):
			m.tier = tierAlike
		default:
			continue
		}
		if b, ok := best[n.entry]; !ok || m.tier > b.tier || m.tier == b.tier && m.score > b.score {
			best[n.entry] = m
		}
		top = max(top, m.tier)
	}
	var list []scored
	for e, m := range best {
		if m.tier == top {
			list = append(list, scored{e, m.score})
		}
	}
	if len(list) == 0 {
		return nil
	}
	ix.sortScored(list)
	var out []int32
	for _, s := range list {
		if top == tierAlike && s.score < list[0].score-0.15 || len(out) == MaxLocate {
			break
		}
		out = append(out, s.entry)
	}
	return out
}

// sortScored orders by score, then kind, then shorter name, then name.
func (ix *nameIndex) sortScored(list []scored) {
	slices.SortFunc(list, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return ix.compare(a.entry, b.entry)
	})
}

func (ix *nameIndex) compare(a, b int32) int {
	pa, pb := ix.entries[a].place, ix.entries[b].place
	if c := cmp.Compare(kindRank[pa.Kind], kindRank[pb.Kind]); c != 0 {
		return c
	}
	if c := cmp.Compare(len(pa.NameKo), len(pb.NameKo)); c != 0 {
		return c
	}
	if c := strings.Compare(pa.NameKo, pb.NameKo); c != 0 {
		return c
	}
	return cmp.Compare(a, b)
}

// places are the entries' places, in their order.
func (ix *nameIndex) places(entries []int32) []Place {
	out := make([]Place, 0, min(len(entries), MaxLocate))
	for _, e := range entries[:min(len(entries), MaxLocate)] {
		out = append(out, ix.entries[e].place)
	}
	return out
}

// suggest offers the places whose names are closest to q: sharing many of
// its syllable pairs, or a few letters (jamo) away from it.
func (ix *nameIndex) suggest(q string) []Place {
	best := map[int32]float64{}
	offer := func(e int32, s float64) {
		if s > best[e] {
			best[e] = s
		}
	}
	if qg := bigrams(q); len(qg) > 0 {
		common := map[int32]int{}
		for _, g := range qg {
			for _, id := range ix.grams[g] {
				common[id]++
			}
		}
		for id, c := range common {
			n := ix.names[id]
			if dice := 2 * float64(c) / float64(len(qg)+n.grams); dice >= 0.34 {
				offer(n.entry, dice)
			}
		}
	}
	ql := letters(q)
	var buf []int
	if len(ql) <= 40 {
		for _, id := range ix.short {
			n := ix.names[id]
			if d := len(n.jamo) - len(ql); d > 3 || d < -3 {
				continue
			}
			dist := editDistance(ql, n.jamo, 3, &buf)
			if sim := 1 - float64(dist)/float64(max(len(ql), len(n.jamo))); sim >= 0.6 && dist <= 3 {
				offer(n.entry, sim)
			}
		}
	}
	list := make([]scored, 0, len(best))
	for e, s := range best {
		list = append(list, scored{e, s})
	}
	ix.sortScored(list)
	var out []Place
	seen := map[string]bool{}
	for _, s := range list {
		p := ix.entries[s.entry].place
		if seen[p.NameKo] {
			continue
		}
		seen[p.NameKo] = true
		out = append(out, p)
		if len(out) == MaxSuggest {
			break
		}
	}
	return out
}

// bigrams are the distinct pairs of neighbouring letters of s (a
// one-letter s has none).
func bigrams(s string) []uint64 {
	rs := []rune(s)
	if len(rs) < 2 {
		return nil
	}
	out := make([]uint64, 0, len(rs)-1)
	for i := 1; i < len(rs); i++ {
		g := uint64(rs[i-1])<<32 | uint64(rs[i])
		if !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

// letters spells s letter by letter, a Hangul syllable as its two or three
// jamo, so that 데 and 대 are one letter apart rather than two syllables.
func letters(s string) []rune {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r >= 0xAC00 && r <= 0xD7A3 {
			i := r - 0xAC00
			out = append(out, 0x1100+i/(21*28), 0x1161+(i%(21*28))/28)
			if t := i % 28; t != 0 {
				out = append(out, 0x11A7+t)
			}
			continue
		}
		out = append(out, r)
	}
	return out
}

// editDistance is Levenshtein's distance between a and b, or more than
// limit once it is sure to be; buf, grown as needed, spares an allocation
// per call.
func editDistance(a, b []rune, limit int, buf *[]int) int {
	if cap(*buf) < 2*(len(b)+1) {
		*buf = make([]int, 2*(len(b)+1))
	}
	prev, cur := (*buf)[:len(b)+1], (*buf)[len(b)+1:2*(len(b)+1)]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		least := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			least = min(least, cur[j])
		}
		if least > limit {
			return least
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
