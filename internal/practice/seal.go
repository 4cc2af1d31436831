package practice

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
)

// playFields are the parts of a link that carry a play's state; the MAC
// covers exactly these, whatever else a link or form adds.
var playFields = []string{"mode", "task", "at", "back", "step", "mistakes", "started"}

// mac signs what a link of the scenario carries in the fields.
func (s *Service) mac(scenario string, v url.Values, fields []string) string {
	only := url.Values{}
	for _, f := range fields {
		if x, ok := v[f]; ok {
			only[f] = x
		}
	}
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte(scenario + "?" + only.Encode()))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// seal adds the signature of the fields to v.
func (s *Service) seal(scenario string, v url.Values, fields []string) url.Values {
	v.Set("sig", s.mac(scenario, v, fields))
	return v
}

// sealed reports whether v carries its own signature: the link was made
// here and not edited.
func (s *Service) sealed(scenario string, v url.Values, fields []string) bool {
	return hmac.Equal([]byte(v.Get("sig")), []byte(s.mac(scenario, v, fields)))
}

// signBytes signs data kept on the learner's device.
func (s *Service) signBytes(data string) string {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte("device\n" + data))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}
