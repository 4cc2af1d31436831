package auth

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

// The account page: the person's profile, and the welcome after a first
// sign-in.

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
	u, err := h.me(r)
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

// me is the signed-in person's account.
func (h *Handlers) me(r *http.Request) (User, error) {
	a, err := Require(r)
	if err != nil {
		return User{}, err
	}
	return h.svc.Users.Get(r.Context(), a.ID)
}
