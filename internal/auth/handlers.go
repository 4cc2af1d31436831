package auth

import (
	"embed"
	"net/http"
	"strconv"
	"strings"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/auth/totp"
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
	status, err := web.FormFailure(r, err, &st.Error, &st.Field)
	if err != nil {
		return err
	}
	return h.views.Render(w, r, status, page, st)
}

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

// checkDistrict refuses a district the city does not have.
func (h *Handlers) checkDistrict(r *http.Request, code string) error {
	if code == "" {
		return nil
	}
	for _, d := range h.districts(r) {
		if d.Value == code {
			return nil
		}
	}
	return errs.Field("district", "auth.district_invalid")
}

type accountData struct {
	User      User
	Welcome   bool
	Next      string
	Districts []web.Option
}

func (h *Handlers) districts(r *http.Request) []web.Option {
	if h.opts.Districts == nil {
		return nil
	}
	return h.opts.Districts(web.PrefsFrom(r.Context()).Lang)
}

func (h *Handlers) accountPage(w http.ResponseWriter, r *http.Request) error {
	a, err := Require(r)
	if err != nil {
		return err
	}
	u, err := h.svc.Users.Get(r.Context(), a.ID)
	if err != nil {
		return err
	}
	vals := profileValues(u)
	return h.form(w, r, "account", nil, vals, accountData{User: u, Welcome: r.URL.Query().Get("welcome") == "1",
		Next: web.SafeNext(r.URL.Query().Get("next")), Districts: h.districts(r)})
}

func profileValues(u User) map[string]string {
	v := map[string]string{"name": u.Name, "email": u.Email, "district": u.District, "lang": u.Lang}
	if u.BirthYear > 0 {
		v["birth_year"] = strconv.Itoa(u.BirthYear)
	}
	if u.Disability {
		v["disability"] = "yes"
	}
	return v
}

func (h *Handlers) accountSave(w http.ResponseWriter, r *http.Request) error {
	a, err := Require(r)
	if err != nil {
		return err
	}
	p := Profile{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), District: r.PostFormValue("district"),
		Disability: r.PostFormValue("disability") == "yes", Lang: r.PostFormValue("lang")}
	vals := map[string]string{"name": p.Name, "email": p.Email, "district": p.District, "lang": p.Lang, "birth_year": r.PostFormValue("birth_year")}
	if p.Disability {
		vals["disability"] = "yes"
	}
	if by := strings.TrimSpace(r.PostFormValue("birth_year")); by != "" {
		if p.BirthYear, err = strconv.Atoi(by); err != nil {
			err = errs.Field("birth_year", "auth.birth_year_invalid")
		}
	}
	if err == nil {
		err = h.checkDistrict(r, p.District)
	}
	if err == nil {
		err = h.svc.Users.UpdateProfile(r.Context(), a.ID, p)
	}
	if err != nil {
		u, _ := h.svc.Users.Get(r.Context(), a.ID)
		return h.form(w, r, "account", err, vals, accountData{User: u, Next: web.SafeNext(r.PostFormValue("next")), Districts: h.districts(r)})
	}
	return web.Redirect(w, r, web.SafeNext(r.PostFormValue("next")), "auth.profile_saved")
}

type totpData struct {
	Secret string
	URI    string
	On     bool
}

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

type actingData struct {
	Found    *User
	Searched bool
	Masked   string
}

func (h *Handlers) actingPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := Require(r, actor.Operator, actor.Guide, actor.CentreAdmin); err != nil {
		return err
	}
	phone := strings.TrimSpace(r.URL.Query().Get("phone"))
	vals := map[string]string{"phone": phone}
	if phone == "" {
		return h.form(w, r, "acting", nil, vals, actingData{})
	}
	u, err := h.svc.Users.ByPhone(r.Context(), phone)
	switch errs.CodeOf(err) {
	case errs.NotFound:
		p, _ := NormalizePhone(phone)
		vals["phone"] = p
		return h.form(w, r, "acting", nil, vals, actingData{Searched: true, Masked: FormatPhone(p)})
	case errs.Invalid:
		return h.form(w, r, "acting", err, vals, actingData{})
	}
	if err != nil {
		return err
	}
	if err := audit.Record(r.Context(), h.svc.db.Write(), audit.Entry{Action: "user.lookup", SubjectType: "user", SubjectID: u.ID}); err != nil {
		return err
	}
	return h.form(w, r, "acting", nil, vals, actingData{Found: &u, Searched: true, Masked: MaskPhone(u.Phone)})
}

func (h *Handlers) actingStart(w http.ResponseWriter, r *http.Request) error {
	if _, err := Require(r, actor.Operator, actor.Guide, actor.CentreAdmin); err != nil {
		return err
	}
	ctx := r.Context()
	phone := r.PostFormValue("phone")
	u, err := h.svc.Users.ByPhone(ctx, phone)
	if errs.CodeOf(err) == errs.NotFound {
		u, err = h.svc.Users.Create(ctx, NewUser{Role: actor.Citizen, Phone: phone, Name: r.PostFormValue("name")})
	}
	if err == nil {
		err = h.svc.Sessions.StartActing(ctx, u, r.PostFormValue("channel"))
	}
	if err != nil {
		return h.form(w, r, "acting", err, map[string]string{"phone": phone, "name": r.PostFormValue("name")}, actingData{})
	}
	return web.Redirect(w, r, "/courses", "acting.started")
}

func (h *Handlers) actingEnd(w http.ResponseWriter, r *http.Request) error {
	if _, err := Require(r); err != nil {
		return err
	}
	if err := h.svc.Sessions.EndActing(r.Context()); err != nil {
		return err
	}
	return web.Redirect(w, r, "/acting", "acting.ended")
}

type usersData struct {
	Users []User
	Roles []actor.Role
}

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
