package web

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"testing"

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
