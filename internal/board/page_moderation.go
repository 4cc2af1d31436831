package board

import (
	"net/http"

	"github.com/maeul/maeul/internal/web"
)

type moderationPage struct {
	web.FormState
	Queue     Queue
	Zones     map[string]string
	Item      string // the item the error is about: kind-id
	MaxNote   int
	HideAfter int
}

func (h *Handlers) moderation(w http.ResponseWriter, r *http.Request) error {
	return h.renderModeration(w, r, http.StatusOK, "", web.FormState{})
}

func (h *Handlers) renderModeration(w http.ResponseWriter, r *http.Request, status int, item string, form web.FormState) error {
	q, err := h.svc.Queue(r.Context())
	if err != nil {
		return err
	}
	zones, err := h.opts.Zones.Zones(r.Context())
	if err != nil {
		return err
	}
	// Each item has its own form: the error links to that item's field.
	if form.Field != "" {
		form.Field += "-" + item
	}
	p := moderationPage{FormState: form, Queue: q, Zones: map[string]string{}, Item: item, MaxNote: MaxNote, HideAfter: HideAfter}
	for _, z := range zones {
		p.Zones[z.Code] = z.Name(lang(r))
	}
	return h.views.Render(w, r, status, "moderation", p)
}

func (h *Handlers) moderate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	kind := r.PathValue("kind")
	vals := map[string]string{"note": r.PostFormValue("note"), "action": r.PostFormValue("action")}
	if err := h.svc.Moderate(r.Context(), kind, id, vals["action"], vals["note"]); err != nil {
		return web.Redraw(r, err, vals, func(status int, form web.FormState) error {
			return h.renderModeration(w, r, status, kind+"-"+r.PathValue("id"), form)
		})
	}
	return web.Redirect(w, r, "/admin/board/moderation", "board.flash_moderated_"+vals["action"])
}
