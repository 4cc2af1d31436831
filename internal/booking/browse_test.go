package booking

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/places"
)

// catalogueCity gives the fixture 25 facilities with something to book:
// 21 community centres in Haeundae (ids 101–121, every other one
// step-free, eastward one by one), two sports centres in Suyeong, a
// library in Busanjin and a culture house outside every zone; and one
// resource at a facility that has closed down.
func catalogueCity(f *fixture) {
	f.t.Helper()
	f.places.zones["ZH"] = places.Zone{Code: "ZH", District: "21090", NameKo: "해운대", NameEn: "Haeundae"}
	f.places.zones["ZS"] = places.Zone{Code: "ZS", District: "21140", NameKo: "수영", NameEn: "Suyeong"}
	f.places.zones["ZJ"] = places.Zone{Code: "ZJ", District: "21050", NameKo: "부전", NameEn: "Bujeon"}
	add := func(fac places.Facility, res Resource) {
		f.places.facilities[fac.ID] = fac
		res.FacilityID = fac.ID
		f.resource(res)
	}
	for i := range 21 {
		id := int64(101 + i)
		add(places.Facility{ID: id, Category: "community", NameKo: fmt.Sprintf("해운대 %02d동 행정복지센터", i+1), NameEn: fmt.Sprintf("Haeundae %02d Community Centre", i+1),
			AddressKo: "부산광역시 해운대구", Zone: "ZH", StepFree: i%2 == 0, At: places.Point{Lon: 129.15 + float64(i)*0.002, Lat: 35.165}},
			Resource{Kind: "room", NameKo: "회의실", NameEn: "Meeting room", Capacity: 1})
	}
	add(places.Facility{ID: 201, Category: "sports", NameKo: "수영 국민체육센터", NameEn: "Suyeong Sports Centre", Zone: "ZS", StepFree: true,
		At: places.Point{Lon: 129.113, Lat: 35.155}}, Resource{Kind: "court", NameKo: "탁구대", NameEn: "Table-tennis table"})
	add(places.Facility{ID: 202, Category: "sports", NameKo: "광안 체육관", NameEn: "Gwangan Gym", Zone: "ZS",
		At: places.Point{Lon: 129.118, Lat: 35.153}}, Resource{Kind: "court", NameKo: "배드민턴 코트", NameEn: "Badminton court"})
	add(places.Facility{ID: 301, Category: "library", NameKo: "부전 작은도서관", NameEn: "Bujeon Library", Zone: "ZJ", StepFree: true,
		At: places.Point{Lon: 129.06, Lat: 35.158}}, Resource{Kind: "room", NameKo: "스터디룸", NameEn: "Study room", Capacity: 1})
	add(places.Facility{ID: 501, Category: "culture", NameKo: "바다 문화의 집", NameEn: "Sea Culture House",
		At: places.Point{Lon: 129.2, Lat: 35.2}}, Resource{Kind: "room", NameKo: "연습실", NameEn: "Practice room", Capacity: 1})
	add(places.Facility{ID: 401, Category: "senior", NameKo: "문 닫은 복지관", Zone: "ZH"}, Resource{Kind: "room", NameKo: "강당", Capacity: 1})
	delete(f.places.facilities, 401)
	f.places.gazetteer = []places.Place{
		{NameKo: "해운대구 우동", NameEn: "U-dong, Haeundae-gu", At: places.Point{Lon: 129.16, Lat: 35.165}},
		{NameKo: "수영구 광안동", NameEn: "Gwangan-dong, Suyeong-gu", At: places.Point{Lon: 129.117, Lat: 35.154}},
		{NameKo: "중구 중앙동", NameEn: "Jungang-dong, Jung-gu", At: places.Point{Lon: 129.035, Lat: 35.103}},
		{NameKo: "연제구 중앙동", NameEn: "Jungang-dong, Yeonje-gu", At: places.Point{Lon: 129.08, Lat: 35.18}},
	}
}

var cardLink = regexp.MustCompile(`<h3><a href="/book/facilities/(\d+)">`)

// cards are the facilities a catalogue page lists, in order.
func cards(body string) []int64 {
	var out []int64
	for _, m := range cardLink.FindAllStringSubmatch(body, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		out = append(out, id)
	}
	return out
}

func TestCatalogueSearch(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		catalogueCity(f)
		p := newPages(t, f, Options{})
		anon := context.Background()
		get := func(path string) []int64 {
			t.Helper()
			w := p.get(anon, path)
			if w.Code != 200 {
				t.Fatalf("%s: %d\n%s", path, w.Code, w.Body.String())
			}
			return cards(w.Body.String())
		}
		want := func(path string, ids ...int64) {
			t.Helper()
			if got := get(path); !slices.Equal(got, ids) {
				t.Errorf("%s: facilities %v, want %v", path, got, ids)
			}
		}

		// Everything, by name, a page at a time; the closed facility is not listed.
		all := p.get(anon, "/book")
		expect(t, "everything", all, 200, "25곳 중 1–20", `for="f-q"`, `for="f-district"`, `for="f-category"`, `for="f-near"`, `for="f-step_free"`,
			`href="/book?page=2"`, "해운대구", "행정복지센터")
		if got := cards(all.Body.String()); len(got) != 20 || got[0] != 202 || slices.Contains(got, 401) {
			t.Errorf("first page %v", got)
		}
		expect(t, "second page", p.get(anon, "/book?page=2"), 200, "25곳 중 21–25", `href="/book"`)

		// Search by the facility's or a resource's name, in either language.
		want("/book?q=%EC%B2%B4%EC%9C%A1", 202, 201) // 체육
		want("/book?q=%EC%8A%A4%ED%84%B0%EB%94%94", 301)
		want("/book?q=table+tennis", 201)
		want("/book?q=%20%EC%88%98%EC%98%81%20%EA%B5%AD%EB%AF%BC%20", 201) // spaces do not matter
		want("/book?q=zzz")
		expect(t, "nothing found", p.get(anon, "/book?q=zzz"), 200, "조건에 맞는 시설이 없습니다", `value="zzz"`)

		// Each filter, alone and together; unknown values are ignored.
		want("/book?district=21140", 202, 201)
		want("/book?district=21050", 301)
		want("/book?category=library", 301)
		want("/book?category=sports&district=21140&step_free=1", 201)
		want("/book?step_free=1&district=21140", 201)
		want("/book?category=culture", 501)
		want("/book?district=21090&q=culture") // 501 lies in no district
		if got := get("/book?step_free=1"); len(got) != 13 || slices.Contains(got, 202) {
			t.Errorf("step-free: %v", got)
		}
		for _, junk := range []string{"district=99999", "category=castle", "district=%3Cscript%3E", "step_free=", "page=abc", "page=-3"} {
			if got := get("/book?" + junk); len(got) != 20 || got[0] != 202 {
				t.Errorf("%s is not ignored: %v", junk, got)
			}
		}
		expect(t, "selected", p.get(anon, "/book?district=21140&category=sports&step_free=1"), 200,
			`<option value="21140" selected>`, `<option value="sports" selected>`, `name="step_free" value="1" checked`, `<details open>`)

		// Paging keeps every filter; a page past the last is the last.
		hd := p.get(anon, "/book?district=21090&category=community&q=%ED%96%89%EC%A0%95")
		expect(t, "paged", hd, 200, "21곳 중 1–20", "1 / 2 페이지")
		next := regexp.MustCompile(`href="(/book\?[^"]*)" rel="next"`).FindStringSubmatch(hd.Body.String())
		if next == nil {
			t.Fatal("no next page")
		}
		u, _ := url.Parse(html.UnescapeString(next[1]))
		if q := u.Query(); q.Get("district") != "21090" || q.Get("category") != "community" || q.Get("q") != "행정" || q.Get("page") != "2" {
			t.Errorf("next page %s", next[1])
		}
		page2 := p.get(anon, u.String())
		expect(t, "page 2", page2, 200, "21곳 중 21–21", `rel="prev"`)
		if prev := regexp.MustCompile(`href="([^"]*)" rel="prev"`).FindStringSubmatch(page2.Body.String()); prev == nil || !strings.Contains(prev[1], "district=21090") || strings.Contains(prev[1], "page=") {
			t.Errorf("previous page %v", prev)
		}
		want("/book?district=21090&page=99", 121)

		// Near a place: nearest first, with the distance; paging keeps the place.
		near := p.get(anon, "/book?near=%EC%9A%B0%EB%8F%99&district=21090")
		expect(t, "near", near, 200, "‘해운대구 우동’에서 가까운 순서", "직선 0 m", "직선 180 m", "near=%EC%9A%B0%EB%8F%99")
		if got := cards(near.Body.String()); len(got) != 20 || got[0] != 106 || !slices.Contains(got[1:3], 105) || !slices.Contains(got[1:3], 107) {
			t.Errorf("near U-dong: %v", got)
		}
		want("/book?near=%EA%B4%91%EC%95%88&category=sports", 202, 201) // 광안

		// Several places of that name: choose one; the choice keeps the filters.
		amb := p.get(anon, "/book?near=%EC%A4%91%EC%95%99%EB%8F%99&category=sports&step_free=1")
		expect(t, "ambiguous", amb, 200, "‘중앙동’은(는) 어느 곳인가요?", "중구 중앙동", "연제구 중앙동")
		if len(cards(amb.Body.String())) != 0 {
			t.Error("facilities listed before the place is chosen")
		}
		links := regexp.MustCompile(`<li><a href="(/book\?[^"]*)">`).FindAllStringSubmatch(amb.Body.String(), -1)
		if len(links) != 2 {
			t.Fatalf("choices %v", links)
		}
		u, _ = url.Parse(html.UnescapeString(links[0][1]))
		if q := u.Query(); q.Get("category") != "sports" || q.Get("step_free") != "1" || q.Get("near") != "중구 중앙동" || q.Get("label") != "중구 중앙동" || q.Get("lat") == "" {
			t.Errorf("choice %s", u)
		}
		chosen := p.get(anon, u.String())
		expect(t, "chosen", chosen, 200, "‘중구 중앙동’에서 가까운 순서", `name="lat"`, `name="label" value="중구 중앙동"`)
		if got := cards(chosen.Body.String()); !slices.Equal(got, []int64{201}) {
			t.Errorf("from the chosen place: %v", got)
		}
		// Typing another place over a chosen one looks the new one up.
		q := u.Query()
		q.Set("near", "우동")
		expect(t, "retyped", p.get(anon, "/book?"+q.Encode()), 200, "‘해운대구 우동’에서 가까운 순서")

		// A place that cannot be found: 422, the message, the field, nothing else.
		for _, lang := range []string{"ko", "en"} {
			w := p.do(anon, lang, "GET", "/book?near=%EC%97%86%EB%8A%94%EB%8F%99%EB%84%A4&district=21090", nil)
			msg := map[string]string{"ko": "‘없는동네’에 해당하는 곳을 찾지 못했습니다", "en": "We could not find “없는동네”"}[lang]
			expect(t, "unknown place "+lang, w, 422, msg, `href="#f-near"`, `aria-invalid="true"`, `value="없는동네"`, `href="/book?district=21090"`)
			if len(cards(w.Body.String())) != 0 {
				t.Errorf("%s: an unknown place lists facilities", lang)
			}
		}
		// A misspelt place: the refusal offers the close names, each a
		// search from it, on the page and in the API.
		typo := p.get(anon, "/book?near=%EA%B4%91%EC%95%88%EB%8F%84&category=sports") // 광안도
		expect(t, "typo", typo, 422, "혹시 이곳을 찾으셨나요?", "수영구 광안동")
		link := regexp.MustCompile(`<li><a href="(/book\?[^"]*)">수영구 광안동</a>`).FindStringSubmatch(typo.Body.String())
		if link == nil {
			t.Fatalf("no suggestion link:\n%s", typo.Body.String())
		}
		if got := get(html.UnescapeString(link[1])); !slices.Equal(got, []int64{202, 201}) {
			t.Errorf("the suggestion's search: %v", got)
		}
		api := p.get(anon, "/api/v1/booking/facilities?near=%EA%B4%91%EC%95%88%EB%8F%84")
		expect(t, "typo API", api, 422, `"field":"near"`, `"suggestions":[{`, `"name_ko":"수영구 광안동"`)
	})
}

// TestCatalogueGarbage: whatever a link carries, the catalogue answers a
// page, never an error of ours.
func TestCatalogueGarbage(t *testing.T) {
	t.Parallel()
	f := newFixture(t, dbtest.SQLite(t))
	catalogueCity(f)
	p := newPages(t, f, Options{})
	anon := context.Background()
	for _, q := range []string{
		"page=99999999999999999999999", "page=9223372036854775807", "page=0", "lat=NaN&lon=Inf", "lat=1&lon=2&near=x",
		"lat=35.1&lon=129.1", "lat=35.1&lon=129.1&label=other&near=%EC%9A%B0%EB%8F%99", "q=%ff%fe%00", "near=%00%00",
		"q=" + strings.Repeat("%EA%B0%80", 5000), "near=" + strings.Repeat("a", 10000), "district=&category=&step_free=0",
		"q=%25s%25d%25!", "near=%25s", "q[]=1&district[]=2", "step_free=1&step_free=0", "near=%20%20", "near=%EC%9A%B0",
	} {
		for _, path := range []string{"/book?" + q, "/api/v1/booking/facilities?" + q} {
			w := p.get(anon, path)
			if w.Code != 200 && w.Code != 422 {
				t.Errorf("%.80s: %d", path, w.Code)
			}
		}
	}
	expect(t, "coordinates", p.get(anon, "/book?lat=35.165&lon=129.16"), 200, "‘35.16500, 129.16000’에서 가까운 순서")
}
