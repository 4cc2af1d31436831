package identity

import (
	"html/template"
	"net/http"

	"github.com/maeul/maeul/internal/qr"
	"github.com/maeul/maeul/internal/web"
)

// offerView is an offer as the desk and "my card" pages show it: the QR
// code, the PIN, the expiry and the links.
type offerView struct {
	Offer
	// QR encodes the web wallet's https link: a senior's phone camera opens
	// it in the browser, where no wallet app needs installing.
	QR template.HTML
	// Href is the link for other wallet apps, for html/template, which
	// would otherwise blank the openid-credential-offer scheme it does not
	// know.
	Href template.URL
}

func newOfferView(r *http.Request, o Offer) (*offerView, error) {
	code, err := qr.SVG(o.WalletLink, 320, web.T(r, "identity.offer_qr_label"))
	if err != nil {
		return nil, err
	}
	return &offerView{Offer: o, QR: code, Href: template.URL(o.Link)}, nil
}
