package identity

import (
	"net/http/httptest"
	"testing"
)

// A disclosed district or living zone reads as its name at the verifier's
// desk; a code the desk does not know is shown as it is.
func TestFactValueNamesPlaces(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequest("GET", "/verify", nil)
	places := map[string]string{"21090": "해운대구", "21090-Z3": "해운대구 제3생활권 (시연)"}
	for _, c := range []struct{ path, value, want string }{
		{"address.district", "21090", "해운대구"},
		{"address.living_zone", "21090-Z3", "해운대구 제3생활권 (시연)"},
		{"address.living_zone", "99999-Z1", "99999-Z1"},
		{"household_id", "21090", "21090"},
	} {
		path, _ := ParseClaimKey(c.path)
		if path == nil {
			path = []string{c.path}
		}
		if got := factValue(r, path, c.value, places); got != c.want {
			t.Errorf("%s %q: %q, want %q", c.path, c.value, got, c.want)
		}
	}
	// The whole address reads as its parts' names, not as a Go map.
	addr := map[string]any{"district": "21090", "living_zone": "21090-Z3"}
	if got := factValue(r, []string{"address"}, addr, places); got != "해운대구 · 해운대구 제3생활권 (시연)" {
		t.Errorf("address: %q", got)
	}
}
