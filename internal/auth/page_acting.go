package auth

import (
	"net/http"
	"strings"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

// Acting for a citizen: an operator or guide finds the citizen and acts
// for them, every action recorded in their name and the citizen's.

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
