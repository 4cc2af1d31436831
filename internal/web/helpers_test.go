package web

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/maeul/maeul/internal/errs"
)

func TestJSONListIsNeverNull(t *testing.T) {
	t.Parallel()
	for _, xs := range [][]int{nil, {}} {
		b, err := json.Marshal(JSONList(xs, strconv.Itoa))
		if err != nil || string(b) != "[]" {
			t.Fatalf("JSONList(%v) = %s, %v; want []", xs, b, err)
		}
	}
	if got := JSONList([]int{1, 2}, strconv.Itoa); len(got) != 2 || got[0] != "1" || got[1] != "2" {
		t.Fatalf("JSONList = %q", got)
	}
}

func TestForPathID(t *testing.T) {
	t.Parallel()
	calls := 0
	load := func(_ context.Context, id int64) (string, error) {
		calls++
		return "item " + strconv.FormatInt(id, 10), nil
	}
	for _, tc := range []struct {
		path string
		want string
		code errs.Code
	}{
		{"7", "item 7", ""},
		{"0", "", errs.NotFound},
		{"-3", "", errs.NotFound},
		{"x", "", errs.NotFound},
	} {
		r := httptest.NewRequest("GET", "/things/"+tc.path, nil)
		r.SetPathValue("id", tc.path)
		before := calls
		got, err := ForPathID(r, "id", load)
		if got != tc.want || (err == nil) != (tc.code == "") || (err != nil && errs.CodeOf(err) != tc.code) {
			t.Errorf("ForPathID(%q) = %q, %v; want %q, %q", tc.path, got, err, tc.want, tc.code)
		}
		if tc.code != "" && calls != before {
			t.Errorf("ForPathID(%q) called load for a bad id", tc.path)
		}
	}
}

func TestRedraw(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequest("POST", "/form", nil)
	r = r.WithContext(WithPrefs(r.Context(), Prefs{Lang: "en"}))
	var got FormState
	var gotStatus int
	draw := func(status int, form FormState) error {
		got, gotStatus = form, status
		return nil
	}
	vals := map[string]string{"phone": "010"}
	if err := Redraw(r, errs.Field("phone", "auth.phone_invalid"), vals, draw); err != nil {
		t.Fatal(err)
	}
	if gotStatus != 422 || got.Field != "phone" || got.Error == "" || got.Values["phone"] != "010" {
		t.Fatalf("Redraw drew %d %+v", gotStatus, got)
	}
	for _, err := range []error{errs.New(errs.Forbidden, "error.forbidden"), errs.New(errs.Unauthorized, "error.unauthorized"), context.Canceled} {
		gotStatus = 0
		if back := Redraw(r, err, vals, draw); back != err || gotStatus != 0 {
			t.Errorf("Redraw(%v) = %v, drew %d; want the error back and nothing drawn", err, back, gotStatus)
		}
	}
}

func TestRenderFailure(t *testing.T) {
	t.Parallel()
	v := MustViews(fstest.MapFS{"templates/page.html": {Data: []byte(`{{define "title"}}t{{end}}{{define "content"}}<p id="e">[{{.Data.Error}}|{{.Data.Field}}]</p>{{end}}`)}})
	type page struct{ Error, Field string }
	render := func(failure error) (*httptest.ResponseRecorder, error) {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/page", nil)
		r = r.WithContext(WithPrefs(r.Context(), Prefs{Lang: "en"}))
		var p page
		return w, v.RenderFailure(w, r, "page", failure, &p.Error, &p.Field, &p)
	}
	w, err := render(nil)
	if err != nil || w.Code != 200 || !strings.Contains(w.Body.String(), `<p id="e">[|]</p>`) {
		t.Fatalf("no failure: %d %v", w.Code, err)
	}
	w, err = render(errs.Field("phone", "auth.phone_invalid"))
	if err != nil || w.Code != 422 || !strings.Contains(w.Body.String(), `|phone]</p>`) || strings.Contains(w.Body.String(), `[|phone]`) {
		t.Fatalf("refusal: %d %v %s", w.Code, err, w.Body)
	}
	if _, err := render(context.Canceled); err != context.Canceled {
		t.Fatalf("an internal error: %v, want it back", err)
	}
}
