package auth

import (
	"net/http"
	"strings"

	"github.com/maeul/maeul/internal/auth/totp"
	"github.com/maeul/maeul/internal/web"
)

// Turning on two-factor sign-in for a staff account.

func (h *Handlers) totpPage(w http.ResponseWriter, r *http.Request) error {
	a, err := requireStaff(r)
	if err != nil {
		return err
	}
	u, err := h.svc.Users.Get(r.Context(), a.ID)
	if err != nil {
		return err
	}
	secret, err := totp.NewSecret()
	if err != nil {
		return err
	}
	return h.form(w, r, "totp", nil, nil, totpData{Secret: secret, URI: totp.URI("Maeul", u.Username, secret), On: u.TOTP})
}

func (h *Handlers) totpSave(w http.ResponseWriter, r *http.Request) error {
	a, err := requireStaff(r)
	if err != nil {
		return err
	}
	secret := r.PostFormValue("secret")
	if err := h.svc.EnableTOTP(r.Context(), secret, strings.TrimSpace(r.PostFormValue("totp")), strings.TrimSpace(r.PostFormValue("current_totp"))); err != nil {
		u, _ := h.svc.Users.Get(r.Context(), a.ID)
		return h.form(w, r, "totp", err, nil, totpData{Secret: secret, URI: totp.URI("Maeul", u.Username, secret), On: u.TOTP})
	}
	return web.Redirect(w, r, "/account", "auth.totp_enabled")
}
