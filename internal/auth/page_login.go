package auth

import (
	"net/http"
	"strings"

	"github.com/maeul/maeul/internal/web"
)

// Signing in and out: a citizen with a phone and a one-time code, staff
// with a password (and TOTP when turned on).

func (h *Handlers) loginPage(w http.ResponseWriter, r *http.Request) error {
	return h.form(w, r, "login", nil, map[string]string{"next": web.SafeNext(r.URL.Query().Get("next"))}, nil)
}

func (h *Handlers) loginPhone(w http.ResponseWriter, r *http.Request) error {
	vals := map[string]string{"phone": r.PostFormValue("phone"), "next": web.SafeNext(r.PostFormValue("next"))}
	p, err := h.svc.SendCode(r.Context(), vals["phone"], web.PrefsFrom(r.Context()).Lang, web.ClientKey(r))
	if err != nil {
		return h.form(w, r, "login", err, vals, nil)
	}
	vals["phone"] = p
	vals["phone_display"] = FormatPhone(p)
	return h.form(w, r, "login_code", nil, vals, nil)
}

func (h *Handlers) loginCode(w http.ResponseWriter, r *http.Request) error {
	vals := map[string]string{"phone": r.PostFormValue("phone"), "next": web.SafeNext(r.PostFormValue("next"))}
	vals["phone_display"] = FormatPhone(vals["phone"])
	u, created, err := h.svc.VerifyCode(r.Context(), vals["phone"], strings.TrimSpace(r.PostFormValue("code")))
	if err != nil {
		return h.form(w, r, "login_code", err, vals, nil)
	}
	if err := h.svc.Sessions.Start(r.Context(), w, r, u); err != nil {
		return err
	}
	if created || u.Name == "" {
		return web.Redirect(w, r, "/account?welcome=1&next="+urlEscape(vals["next"]), "auth.welcome")
	}
	return web.Redirect(w, r, vals["next"], "auth.signed_in")
}

func (h *Handlers) staffPage(w http.ResponseWriter, r *http.Request) error {
	return h.form(w, r, "login_staff", nil, map[string]string{"next": web.SafeNext(r.URL.Query().Get("next"))}, nil)
}

func (h *Handlers) staffLogin(w http.ResponseWriter, r *http.Request) error {
	vals := map[string]string{"username": strings.TrimSpace(r.PostFormValue("username")), "next": web.SafeNext(r.PostFormValue("next"))}
	u, err := h.svc.CheckPassword(r.Context(), vals["username"], r.PostFormValue("password"), strings.TrimSpace(r.PostFormValue("totp")), web.ClientKey(r))
	if err != nil {
		return h.form(w, r, "login_staff", err, vals, nil)
	}
	if err := h.svc.Sessions.Start(r.Context(), w, r, u); err != nil {
		return err
	}
	return web.Redirect(w, r, vals["next"], "auth.signed_in")
}

func (h *Handlers) logout(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.Sessions.End(r.Context(), w, r); err != nil {
		return err
	}
	return web.Redirect(w, r, "/", "auth.signed_out")
}

// logoutOthers ends every other session of the person ("sign out
// everywhere else"); this one stays.
func (h *Handlers) logoutOthers(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.svc.Sessions.EndOthers(r.Context()); err != nil {
		return err
	}
	return web.Redirect(w, r, "/account", "auth.signed_out_others")
}
