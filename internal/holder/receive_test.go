package holder

import (
	"net/url"
	"strings"
	"testing"
)

func TestParseOffer(t *testing.T) {
	t.Parallel()
	offer := `{"credential_issuer":"https://maeul.example","credential_configuration_ids":["citizen_card"],` +
		`"grants":{"urn:ietf:params:oauth:grant-type:pre-authorized_code":{"pre-authorized_code":"abc","tx_code":{"length":6}}}}`
	for _, link := range []string{
		"openid-credential-offer://?credential_offer=" + url.QueryEscape(offer),
		"https://maeul.example/wallet/receive?credential_offer=" + url.QueryEscape(offer),
	} {
		o, err := ParseOffer(link)
		if err != nil || o.Issuer != "https://maeul.example" || o.Grants[preAuthorizedGrant].Code != "abc" {
			t.Errorf("%s: %+v %v", link, o, err)
		}
	}
	for _, bad := range []string{"", "openid-credential-offer://", "openid-credential-offer://?credential_offer=%7B",
		"openid-credential-offer://?credential_offer=" + url.QueryEscape(strings.Replace(offer, `"abc"`, `""`, 1))} {
		if _, err := ParseOffer(bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}

// FuzzParseOffer: a link from a QR code is outside input; whatever it holds,
// parsing returns an offer or an error, and an accepted offer has what the
// flow needs.
func FuzzParseOffer(f *testing.F) {
	f.Add("openid-credential-offer://?credential_offer=%7B%22credential_issuer%22%3A%22https%3A%2F%2Fa%22%7D")
	f.Add("https://maeul.example/wallet/receive?credential_offer=%7B%7D")
	f.Fuzz(func(t *testing.T, link string) {
		o, err := ParseOffer(link)
		if err == nil && (o.Issuer == "" || o.Grants[preAuthorizedGrant].Code == "" || len(o.Configurations) == 0) {
			t.Fatalf("accepted an incomplete offer %+v", o)
		}
	})
}
