package auth

import (
	"net/http"
	"net/url"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/errs"

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
	if _, err := h.svc.SendCode(r.Context(), in.Phone, in.Lang, web.ClientKey(r)); err != nil {
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
	u, err := h.svc.CheckPassword(r.Context(), in.Username, in.Password, in.TOTP, web.ClientKey(r))
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

func (h *Handlers) apiLogoutOthers(w http.ResponseWriter, r *http.Request) error {
	if err := web.NoBody(w, r); err != nil {
		return err
	}
	n, err := h.svc.Sessions.EndOthers(r.Context())
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"status": "signed_out_others", "ended": n})
}

func (h *Handlers) apiDisableStaff(w http.ResponseWriter, r *http.Request) error {
	return h.apiSetDisabled(w, r, true)
}

func (h *Handlers) apiEnableStaff(w http.ResponseWriter, r *http.Request) error {
	return h.apiSetDisabled(w, r, false)
}

func (h *Handlers) apiSetDisabled(w http.ResponseWriter, r *http.Request, disabled bool) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := web.NoBody(w, r); err != nil {
		return err
	}
	if err := h.svc.SetDisabled(r.Context(), id, disabled); err != nil {
		return err
	}
	u, err := h.svc.Users.Get(r.Context(), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"id": u.ID, "disabled": u.Disabled})
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

type profileJSON struct {
	Name       string `json:"name"`
	Email      string `json:"email"`
	BirthYear  int    `json:"birth_year"`
	District   string `json:"district"`
	Disability bool   `json:"disability"`
	Lang       string `json:"lang"`
}

func (h *Handlers) apiProfile(w http.ResponseWriter, r *http.Request) error {
	u, err := h.me(r)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"profile": profileJSON{Name: u.Name, Email: u.Email, BirthYear: u.BirthYear,
		District: u.District, Disability: u.Disability, Lang: u.Lang}})
}

func (h *Handlers) apiSaveProfile(w http.ResponseWriter, r *http.Request) error {
	a, err := Require(r)
	if err != nil {
		return err
	}
	var in profileJSON
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := h.checkDistrict(r, in.District); err != nil {
		return err
	}
	if err := h.svc.Users.UpdateProfile(r.Context(), a.ID, Profile(in)); err != nil {
		return err
	}
	return h.apiProfile(w, r)
}

type citizenJSON struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

// apiFindCitizen looks a citizen up by phone for an operator; audited.
func (h *Handlers) apiFindCitizen(w http.ResponseWriter, r *http.Request) error {
	if _, err := Require(r, actor.Operator, actor.Guide, actor.CentreAdmin); err != nil {
		return err
	}
	u, err := h.svc.Users.ByPhone(r.Context(), r.URL.Query().Get("phone"))
	if err != nil {
		return err
	}
	if err := audit.Record(r.Context(), h.svc.db.Write(), audit.Entry{Action: "user.lookup", SubjectType: "user", SubjectID: u.ID}); err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"citizen": citizenJSON{ID: u.ID, Name: u.Name, Phone: FormatPhone(u.Phone)}})
}

func (h *Handlers) apiStartActing(w http.ResponseWriter, r *http.Request) error {
	if _, err := Require(r, actor.Operator, actor.Guide, actor.CentreAdmin); err != nil {
		return err
	}
	var in struct {
		Phone   string `json:"phone"`
		Name    string `json:"name"`
		Channel string `json:"channel"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	u, err := h.svc.Users.ByPhone(r.Context(), in.Phone)
	if errs.CodeOf(err) == errs.NotFound {
		u, err = h.svc.Users.Create(r.Context(), NewUser{Role: actor.Citizen, Phone: in.Phone, Name: in.Name})
	}
	if err != nil {
		return err
	}
	if err := h.svc.Sessions.StartActing(r.Context(), u, in.Channel); err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"acting_for": citizenJSON{ID: u.ID, Name: u.Name, Phone: FormatPhone(u.Phone)}, "channel": in.Channel})
}

func (h *Handlers) apiEndActing(w http.ResponseWriter, r *http.Request) error {
	if _, err := Require(r); err != nil {
		return err
	}
	if err := h.svc.Sessions.EndActing(r.Context()); err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]string{"status": "ended"})
}

func (h *Handlers) apiCreateStaff(w http.ResponseWriter, r *http.Request) error {
	if _, err := Require(r, actor.SysAdmin); err != nil {
		return err
	}
	var in struct {
		Role     string `json:"role"`
		Name     string `json:"name"`
		Username string `json:"username"`
		Password string `json:"password"`
		Phone    string `json:"phone"`
		Email    string `json:"email"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	n := NewUser{Role: actor.Role(in.Role), Name: in.Name, Username: in.Username, Password: in.Password, Phone: in.Phone, Email: in.Email}
	if !n.Role.Staff() {
		return errs.Field("role", "auth.role_invalid")
	}
	u, err := h.svc.Users.Create(r.Context(), n)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, map[string]any{"user": MeJSON{ID: u.ID, Name: u.Name, Role: string(u.Role)}})
}
