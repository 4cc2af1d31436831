package dcql

import (
	"encoding/json"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{specSimple, specMulti, specCredentialsAlternatives, specClaimsAlternatives, specValueMatching} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		q, err := Parse(data)
		if err != nil {
			return
		}
		// A valid query must survive re-encoding and be safe to match.
		out, err := json.Marshal(q)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		if _, err := Parse(out); err != nil {
			t.Fatalf("re-parse of %s: %v", out, err)
		}
		var claims map[string]any
		_ = json.Unmarshal(data, &claims)
		q.Match([]Credential{{Format: FormatSDJWT, HolderBinding: true, Claims: claims}})
	})
}
