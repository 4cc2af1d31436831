package auth

import (
	"net/http"
	"net/url"

	"github.com/maeul/maeul/internal/actor"

	"github.com/maeul/maeul/internal/web"
)

func urlEscape(s string) string { return url.QueryEscape(s) }

// MeJSON is the signed-in user as the API shows them.
type MeJSON struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	Role      string  `json:"role"`
	ActingFor *MeJSON `json:"acting_for,omitempty"`
	Channel   string  `json:"channel"`
}

func (h *Handlers) apiSendCode(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Phone string `json:"phone"`
		Lang  string `json:"lang"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	if _, err := h.svc.SendCode(r.Context(), in.Phone, in.Lang, clientIP(r)); err != nil {
		return err
	}
	return web.JSON(w, http.StatusAccepted, map[string]string{"status": "sent"})
}

func (h *Handlers) apiVerify(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Phone string `json:"phone"`
		Code  string `json:"code"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	u, created, err := h.svc.VerifyCode(r.Context(), in.Phone, in.Code)
	if err != nil {
		return err
	}
	if err := h.svc.Sessions.Start(r.Context(), w, r, u); err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"user": MeJSON{ID: u.ID, Name: u.Name, Role: string(u.Role), Channel: "online"}, "created": created})
}

func (h *Handlers) apiStaff(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
		TOTP     string `json:"totp"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	u, err := h.svc.CheckPassword(r.Context(), in.Username, in.Password, in.TOTP, clientIP(r))
	if err != nil {
		return err
	}
	if err := h.svc.Sessions.Start(r.Context(), w, r, u); err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"user": MeJSON{ID: u.ID, Name: u.Name, Role: string(u.Role), Channel: "online"}})
}

func (h *Handlers) apiLogout(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.Sessions.End(r.Context(), w, r); err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]string{"status": "signed_out"})
}

func (h *Handlers) apiMe(w http.ResponseWriter, r *http.Request) error {
	a := actor.From(r.Context())
	if a == nil {
		return web.JSON(w, http.StatusOK, map[string]any{"user": nil, "csrf": web.CSRFToken(r.Context())})
	}
	me := MeJSON{ID: a.ID, Name: a.Name, Role: string(a.Role), Channel: a.Channel}
	if a.ActingFor != nil {
		me.ActingFor = &MeJSON{ID: a.ActingFor.ID, Name: a.ActingFor.Name, Role: string(a.ActingFor.Role)}
	}
	return web.JSON(w, http.StatusOK, map[string]any{"user": me, "csrf": web.CSRFToken(r.Context())})
}
