package identity

import (
	"html/template"
	"net/http"

	"github.com/maeul/maeul/internal/qr"
	"github.com/maeul/maeul/internal/web"
)

// offerView is an offer as the desk and "my card" pages show it: the QR
// code, the PIN, the expiry and the link.
type offerView struct {
	Offer
	QR template.HTML
	// Href is the link for html/template, which would otherwise blank the
	// openid-credential-offer scheme it does not know.
	Href template.URL
}

func newOfferView(r *http.Request, o Offer) (*offerView, error) {
	code, err := qr.SVG(o.Link, 320, web.T(r, "identity.offer_qr_label"))
	if err != nil {
		return nil, err
	}
	return &offerView{Offer: o, QR: code, Href: template.URL(o.Link)}, nil
}
