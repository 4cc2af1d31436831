package places

import (
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/web"
)

// placesServer serves the places pages on the demo-shaped city, with the
// language and display preferences read as the app reads them.
func placesServer(t *testing.T) func(near, lang, accept string) (int, string) {
	t.Helper()
	s := demoService(t)
	rt := web.NewRouter(web.NewMetrics())
	Register(rt, s, Options{})
	h := web.WithPrefsMiddleware(rt)
	return func(near, lang, accept string) (int, string) {
		path := "/places"
		if accept == "application/json" {
			path = "/api/v1/places" // the page's API: the same answer as JSON
		}
		r := httptest.NewRequest(http.MethodGet, path+"?near="+url.QueryEscape(near), nil)
		r.Header.Set("Accept-Language", lang)
		if accept != "" {
			r.Header.Set("Accept", accept)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code, html.UnescapeString(w.Body.String())
	}
}

func TestPlacesPageLocates(t *testing.T) {
	t.Parallel()
	get := placesServer(t)
	cases := []struct {
		near, lang string
		status     int
		want       []string
	}{
		// found: the list from it
		{"해운대구", "ko", 200, []string{"해운대구에서 가까운 시설"}},
		{"Seomyeon Station", "en", 200, []string{"Places near Seomyeon Station"}},
		{"해운대도서관", "ko", 200, []string{"해운대구립도서관에서 가까운 시설"}},
		// several: which one, each with its kind
		{"부전", "ko", 200, []string{"어느 곳을 말씀하셨나요?", "부전역</a> (역·시장)", "부전시장</a> (역·시장)"}},
		{"Bujeon", "en", 200, []string{"Which place did you mean?", "Bujeon Station</a> (station or market)"}},
		{"반여", "ko", 200, []string{"해운대구 반여동</a> (동)"}},
		// none: 422 with close names, each a link to the search from it
		{"해운데구", "ko", 422, []string{"‘해운데구’에 해당하는 곳을 찾지 못했습니다", "혹시 이곳을 찾으셨나요?", "해운대구</a> (구)", "label=%ED%95%B4%EC%9A%B4%EB%8C%80%EA%B5%AC", "생활권 목록에서 고르기"}},
		{"Haeundea-gu", "en", 422, []string{"We could not find “Haeundea-gu”", "Did you mean one of these?", "Haeundae-gu</a> (district)"}},
		{"없는마을", "ko", 422, []string{"찾지 못했습니다", "생활권 목록에서 고르기"}},
	}
	for _, c := range cases {
		st, body := get(c.near, c.lang, "")
		if st != c.status {
			t.Errorf("%s (%s): status %d, want %d", c.near, c.lang, st, c.status)
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s (%s): no %q in the page", c.near, c.lang, w)
			}
		}
	}
	if _, body := get("없는마을", "ko", ""); strings.Contains(body, "혹시 이곳을") {
		t.Errorf("suggestions offered for a name close to nothing")
	}
}

func TestPlacesJSON(t *testing.T) {
	t.Parallel()
	get := placesServer(t)
	var out struct {
		Error *struct {
			Code, Message, Field string
		}
		Choices, Suggestions []choiceView
		Origin               *choiceView
		Results              []resultView
	}
	decode := func(near, lang string, status int) {
		t.Helper()
		st, body := get(near, lang, "application/json")
		if st != status {
			t.Fatalf("%s: status %d, want %d: %s", near, st, status, body)
		}
		out.Error, out.Choices, out.Suggestions, out.Origin, out.Results = nil, nil, nil, nil, nil
		if err := json.Unmarshal([]byte(body), &out); err != nil {
			t.Fatalf("%s: %v in %s", near, err, body)
		}
	}
	decode("해운데구", "ko", 422)
	if out.Error == nil || out.Error.Code != "invalid" || out.Error.Field != "near" || !strings.Contains(out.Error.Message, "찾지 못했습니다") {
		t.Errorf("refusal %+v", out.Error)
	}
	if len(out.Suggestions) == 0 || out.Suggestions[0].Name != "해운대구" || out.Suggestions[0].Kind != KindDistrict || out.Suggestions[0].KindLabel != "구" ||
		!strings.HasPrefix(out.Suggestions[0].URL, "/places?") {
		t.Errorf("suggestions %+v", out.Suggestions)
	}
	decode("Haeundea-gu", "en", 422)
	if out.Error == nil || !strings.Contains(out.Error.Message, "could not find") || len(out.Suggestions) == 0 || out.Suggestions[0].Name != "Haeundae-gu" {
		t.Errorf("English refusal %+v, %+v", out.Error, out.Suggestions)
	}
	decode("부전", "ko", 200)
	if len(out.Choices) != 2 || out.Choices[0].Kind != KindLandmark || out.Choices[0].KindLabel != "역·시장" || out.Error != nil || out.Origin != nil {
		t.Errorf("choices %+v", out.Choices)
	}
	decode("서면역", "en", 200)
	if out.Origin == nil || out.Origin.Name != "Seomyeon Station" || out.Origin.Kind != KindLandmark || len(out.Results) == 0 {
		t.Errorf("origin %+v with %d results", out.Origin, len(out.Results))
	}
}
