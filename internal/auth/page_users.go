package auth

import (
	"net/http"
	"strings"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

// The system admin's staff accounts: create, disable, enable.

func (h *Handlers) usersPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := Require(r, actor.SysAdmin); err != nil {
		return err
	}
	return h.renderUsers(w, r, nil, map[string]string{})
}

func (h *Handlers) renderUsers(w http.ResponseWriter, r *http.Request, err error, vals map[string]string) error {
	role := actor.Role(r.URL.Query().Get("role"))
	if !role.Valid() {
		role = ""
	}
	var staff []User
	for _, rl := range actor.Roles[1:] {
		if role != "" && rl != role {
			continue
		}
		us, lerr := h.svc.Users.List(r.Context(), ListFilter{Role: rl, Limit: 100})
		if lerr != nil {
			return lerr
		}
		staff = append(staff, us...)
	}
	return h.form(w, r, "users", err, vals, usersData{Users: staff, Roles: actor.Roles[1:]})
}

func (h *Handlers) usersCreate(w http.ResponseWriter, r *http.Request) error {
	if _, err := Require(r, actor.SysAdmin); err != nil {
		return err
	}
	n := NewUser{Role: actor.Role(r.PostFormValue("role")), Name: r.PostFormValue("name"), Username: strings.TrimSpace(r.PostFormValue("username")),
		Password: r.PostFormValue("password"), Phone: r.PostFormValue("phone"), Email: r.PostFormValue("email")}
	if !n.Role.Staff() {
		return h.renderUsers(w, r, errs.Field("role", "auth.role_invalid"), map[string]string{"name": n.Name, "username": n.Username})
	}
	if _, err := h.svc.Users.Create(r.Context(), n); err != nil {
		return h.renderUsers(w, r, err, map[string]string{"name": n.Name, "username": n.Username, "role": string(n.Role), "phone": n.Phone, "email": n.Email})
	}
	return web.Redirect(w, r, "/admin/users", "auth.user_created")
}

func (h *Handlers) usersDisable(w http.ResponseWriter, r *http.Request) error {
	return h.usersSetDisabled(w, r, true)
}

func (h *Handlers) usersEnable(w http.ResponseWriter, r *http.Request) error {
	return h.usersSetDisabled(w, r, false)
}

func (h *Handlers) usersSetDisabled(w http.ResponseWriter, r *http.Request, disabled bool) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.svc.SetDisabled(r.Context(), id, disabled); err != nil {
		if errs.CodeOf(err) == errs.Conflict {
			return h.renderUsers(w, r, err, map[string]string{})
		}
		return err
	}
	flash := "auth.user_enabled"
	if disabled {
		flash = "auth.user_disabled"
	}
	return web.Redirect(w, r, "/admin/users", flash)
}
