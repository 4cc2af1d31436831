package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/maeul/maeul/internal/city"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/places"
)

// demoFacility is how a kind of facility appears in the demo city: what it
// is called after its dong, when it opens, and how many of them a zone has
// (a chance per zone, and some per dong).
type demoFacility struct {
	category       string
	suffixKo       string
	suffixEn       string
	hours          string
	perZone        float64 // expected number per zone
	perDong        bool    // one in every dong, as community centres are
	stepFree, loop float64
}

var demoFacilities = []demoFacility{
	{category: "community", suffixKo: "행정복지센터", suffixEn: "Community Centre", hours: "Mo-Fr 09:00-18:00", perDong: true, stepFree: 0.9, loop: 0.3},
	{category: "senior", suffixKo: "노인복지관", suffixEn: "Senior Welfare Centre", hours: "Mo-Fr 09:00-18:00; Sa 09:00-13:00", perZone: 0.7, stepFree: 0.9, loop: 0.4},
	{category: "health", suffixKo: "보건지소", suffixEn: "Public Health Branch", hours: "Mo-Fr 09:00-18:00", perZone: 0.6, stepFree: 0.95, loop: 0.3},
	{category: "library", suffixKo: "작은도서관", suffixEn: "Library", hours: "Tu-Su 09:00-18:00", perZone: 1.2, stepFree: 0.7, loop: 0.2},
	{category: "welfare", suffixKo: "종합사회복지관", suffixEn: "Welfare Centre", hours: "Mo-Fr 09:00-18:00", perZone: 0.6, stepFree: 0.85, loop: 0.3},
	{category: "childcare", suffixKo: "어린이집", suffixEn: "Childcare Centre", hours: "Mo-Fr 07:30-19:30", perZone: 2.5, stepFree: 0.8},
	{category: "park", suffixKo: "근린공원", suffixEn: "Neighbourhood Park", hours: "24/7", perZone: 2, stepFree: 0.6},
	{category: "sports", suffixKo: "국민체육센터", suffixEn: "Sports Centre", hours: "Mo-Sa 06:00-22:00", perZone: 0.5, stepFree: 0.8, loop: 0.1},
	{category: "culture", suffixKo: "문화의 집", suffixEn: "Culture House", hours: "Tu-Su 10:00-19:00", perZone: 0.4, stepFree: 0.8, loop: 0.5},
	{category: "digital", suffixKo: "디지털 배움터", suffixEn: "Digital Learning Spot", hours: "Mo-Fr 10:00-17:00", perZone: 0.4, stepFree: 0.9, loop: 0.3},
}

var demoEvents = []struct{ titleKo, titleEn, summaryKo, summaryEn string }{
	{"건강 상담의 날", "Health advice day", "혈압·혈당을 재고 간호사와 상담합니다.", "Blood pressure and sugar checks, and a talk with a nurse."},
	{"스마트폰 기초 교실", "Smartphone basics", "전화, 문자, 사진 보내기를 천천히 배웁니다.", "Calls, messages and sending photos, step by step."},
	{"키오스크 주문 연습", "Kiosk ordering practice", "무인 주문기로 음식을 주문해 봅니다. 틀려도 괜찮아요.", "Order food at a kiosk; getting it wrong is fine."},
	{"작은 음악회", "Small concert", "동네 합창단과 함께하는 음악회입니다.", "A concert with the neighbourhood choir."},
	{"치매 예방 교실", "Memory care class", "두뇌 운동과 치매 조기 검진 안내.", "Brain exercises and how to get a memory check."},
	{"보이스피싱 예방 교육", "Scam call awareness", "사기 전화와 문자를 알아보는 방법을 배웁니다.", "How to spot scam calls and messages."},
}

// Places are the demo city's living zones, facilities and events, as the
// files a city would import: the 62 demo zones from the real dong
// boundaries, and facilities placed at random inside them, each labelled
// a demo place.
func Places(seed int64, now time.Time) (zones, facilities, events *places.ImportFile) {
	rng := rand.New(rand.NewPCG(uint64(seed), 11))
	zones = &places.ImportFile{Kind: places.ImportZones}
	facilities = &places.ImportFile{Kind: places.ImportFacilities}
	events = &places.ImportFile{Kind: places.ImportEvents}
	for _, z := range city.DemoZones() {
		mp := places.MultiPolygon(z.Boundary())
		zones.Zones = append(zones.Zones, places.ImportZone{Zone: places.Zone{Code: z.Code, District: z.District,
			NameKo: z.Name("ko"), NameEn: z.Name("en"), Population: int64(z.Population), Boundary: mp, Demo: true}})
		for _, kind := range demoFacilities {
			n := 0
			if !kind.perDong {
				n = int(kind.perZone)
				if rng.Float64() < kind.perZone-float64(n) {
					n++
				}
			}
			dongs := z.Dongs
			if !kind.perDong {
				dongs = make([]string, n)
				for i := range dongs {
					dongs[i] = z.Dongs[rng.IntN(len(z.Dongs))]
				}
			}
			for i, code := range dongs {
				d := city.DongByCode(code)
				dist, _ := city.DistrictByCode(d.District())
				f := places.Facility{
					Ref: fmt.Sprintf("demo-%s-%s-%d", kind.category, code, i+1), Category: kind.category,
					NameKo: d.NameKo + " " + kind.suffixKo + " (시연)", NameEn: d.NameEn + " " + kind.suffixEn + " (demo)",
					AddressKo: "부산광역시 " + dist.NameKo + " " + d.NameKo + " (시연 주소)", AddressEn: d.NameEn + ", " + dist.NameEn + ", Busan (demo address)",
					At: pointIn(rng, places.MultiPolygon(d.Boundary())), HoursText: kind.hours,
					StepFree: rng.Float64() < kind.stepFree, AccessibleToilet: rng.Float64() < kind.stepFree*0.8, HearingLoop: rng.Float64() < kind.loop,
					Phone: fmt.Sprintf("051-000-%04d", len(facilities.Facilities)+1), Demo: true,
				}
				facilities.Facilities = append(facilities.Facilities, places.ImportFacility{Facility: f})
				if kind.category == "park" || kind.category == "childcare" || rng.Float64() > 0.5 {
					continue
				}
				e := demoEvents[rng.IntN(len(demoEvents))]
				start := time.Date(now.Year(), now.Month(), now.Day(), 10+rng.IntN(6), 0, 0, 0, i18n.Zone).AddDate(0, 0, 1+rng.IntN(28))
				events.Events = append(events.Events, places.ImportEvent{FacilityRef: f.Ref, Event: places.Event{
					Ref: "demo-event-" + f.Ref, TitleKo: e.titleKo, TitleEn: e.titleEn, SummaryKo: e.summaryKo, SummaryEn: e.summaryEn,
					StartsAt: start, EndsAt: start.Add(90 * time.Minute), Free: true, Demo: true}})
			}
		}
	}
	for _, f := range demoLandmarks {
		f.Demo = true
		facilities.Facilities = append(facilities.Facilities, places.ImportFacility{Facility: f})
	}
	return zones, facilities, events
}

// demoLandmarks are a few of Busan's real public places that people name
// when they say where they are (the places form's own example is
// 부산도서관); their hours and phones are the demo's.
var demoLandmarks = []places.Facility{
	{Ref: "demo-landmark-busan-library", Category: "library", NameKo: "부산도서관", NameEn: "Busan Library",
		AddressKo: "부산광역시 사상구 사상로 310", AddressEn: "310 Sasang-ro, Sasang-gu, Busan",
		At: places.Point{Lat: 35.16818, Lon: 128.98466}, HoursText: "Tu-Su 09:00-21:00", StepFree: true, AccessibleToilet: true, HearingLoop: true},
	{Ref: "demo-landmark-citizens-park", Category: "park", NameKo: "부산시민공원", NameEn: "Busan Citizens Park",
		AddressKo: "부산광역시 부산진구 시민공원로 73", AddressEn: "73 Simingongwon-ro, Busanjin-gu, Busan",
		At: places.Point{Lat: 35.16838, Lon: 129.05726}, HoursText: "24/7", StepFree: true, AccessibleToilet: true},
}

// ImportPlaces writes the demo places through the places part.
func ImportPlaces(ctx context.Context, svc *places.Service, seed int64, now time.Time) (zones, facilities, events int, err error) {
	z, f, e := Places(seed, now)
	for _, file := range []*places.ImportFile{z, f, e} {
		if _, err := svc.Import(ctx, file); err != nil {
			return 0, 0, 0, fmt.Errorf("demo %s: %w", file.Kind, err)
		}
	}
	return len(z.Zones), len(f.Facilities), len(e.Events), nil
}

// pointIn draws a point inside a shape: uniform in its box, kept when it
// falls inside.
func pointIn(rng *rand.Rand, mp orb.MultiPolygon) places.Point {
	b := mp.Bound()
	for range 1000 {
		p := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
		if planar.MultiPolygonContains(mp, p) {
			return places.Point{Lon: p[0], Lat: p[1]}
		}
	}
	c, _ := planar.CentroidArea(mp)
	return places.Point{Lon: c[0], Lat: c[1]}
}
