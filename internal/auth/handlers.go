package auth

import (
	"embed"
	"net/http"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Handlers serves sign-in, the account page and acting-for.
type Handlers struct {
	svc   *Service
	views *web.Views
	opts  Options
}

// Options are what the account pages need from other parts, passed in by
// the app so that auth imports no part.
type Options struct {
	Districts func(lang string) []web.Option
}

// Register adds the auth pages and API to rt.
func Register(rt *web.Router, svc *Service, opts Options) {
	h := &Handlers{svc: svc, views: web.MustViews(templateFS), opts: opts}
	rt.Handle("GET /login", h.loginPage)
	rt.Handle("POST /login/phone", h.loginPhone)
	rt.Handle("POST /login/code", h.loginCode)
	rt.Handle("GET /login/staff", h.staffPage)
	rt.Handle("POST /login/staff", h.staffLogin)
	rt.Handle("POST /logout", h.logout)
	rt.Handle("POST /logout/others", h.logoutOthers)
	rt.Handle("GET /account", h.accountPage)
	rt.Handle("POST /account", h.accountSave)
	rt.Handle("GET /account/totp", h.totpPage)
	rt.Handle("POST /account/totp", h.totpSave)
	rt.Handle("GET /acting", h.actingPage)
	rt.Handle("POST /acting/start", h.actingStart)
	rt.Handle("POST /acting/end", h.actingEnd)
	rt.Handle("GET /admin/users", h.usersPage)
	rt.Handle("POST /admin/users", h.usersCreate)
	rt.Handle("POST /admin/users/{id}/disable", h.usersDisable)
	rt.Handle("POST /admin/users/{id}/enable", h.usersEnable)

	rt.Handle("POST /api/v1/auth/code", h.apiSendCode)
	rt.Handle("POST /api/v1/auth/verify", h.apiVerify)
	rt.Handle("POST /api/v1/auth/staff", h.apiStaff)
	rt.Handle("POST /api/v1/auth/logout", h.apiLogout)
	rt.Handle("POST /api/v1/auth/logout-others", h.apiLogoutOthers)
	rt.Handle("GET /api/v1/me", h.apiMe)
	rt.Handle("GET /api/v1/me/profile", h.apiProfile)
	rt.Handle("POST /api/v1/me/profile", h.apiSaveProfile)
	rt.Handle("GET /api/v1/citizens", h.apiFindCitizen)
	rt.Handle("POST /api/v1/acting", h.apiStartActing)
	rt.Handle("POST /api/v1/acting/end", h.apiEndActing)
	rt.Handle("POST /api/v1/admin/users", h.apiCreateStaff)
	rt.Handle("POST /api/v1/admin/users/{id}/disable", h.apiDisableStaff)
	rt.Handle("POST /api/v1/admin/users/{id}/enable", h.apiEnableStaff)

	rt.AddNav(
		web.NavItem{Key: "nav.acting", Href: "/acting", Group: web.GroupWorkAdmin, Roles: []actor.Role{actor.Operator, actor.Guide, actor.CentreAdmin}},
		web.NavItem{Key: "nav.users", Href: "/admin/users", Group: web.GroupWorkAdmin, Roles: []actor.Role{actor.SysAdmin}},
	)
}

// Require returns the request's actor, or an error when it is anonymous or
// holds none of roles (no roles: any signed-in user).
func Require(r *http.Request, roles ...actor.Role) (*actor.Actor, error) {
	return actor.Require(r.Context(), roles...)
}

// requireStaff lets every staff role in, whatever new roles are added:
// two-factor sign-in is for everyone who signs in with a password.
func requireStaff(r *http.Request) (*actor.Actor, error) {
	a, err := Require(r)
	if err != nil {
		return nil, err
	}
	if !a.Role.Staff() {
		return nil, errs.New(errs.Forbidden, "error.forbidden")
	}
	return a, nil
}

type formState struct {
	Error  string
	Field  string
	Values map[string]string
	Extra  any
}

func (h *Handlers) form(w http.ResponseWriter, r *http.Request, page string, err error, values map[string]string, extra any) error {
	st := formState{Values: values, Extra: extra}
	web.RetryAfter(w, err)
	return h.views.RenderFailure(w, r, page, err, &st.Error, &st.Field, &st)
}

type totpData struct {
	Secret string
	URI    string
	On     bool
}

type actingData struct {
	Found    *User
	Searched bool
	Masked   string
}

type usersData struct {
	Users []User
	Roles []actor.Role
}
