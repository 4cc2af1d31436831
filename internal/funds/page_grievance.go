package funds

import (
	"net/http"

	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/web"
)

// One grievance and its messages, on the page of each side
// (page_grievances.go), with the answer form; staff also close it.

type grievancePage struct {
	Side      string
	Base      string
	Title     string
	Grievance Grievance
	Text      string
	Error     string
	Field     string
}

func (h *Handlers) renderGrievance(w http.ResponseWriter, r *http.Request, d grievanceDesk, text string, failure error) error {
	id, err := pathID(r, "gid", "grievance.not_found")
	if err != nil {
		return err
	}
	p := grievancePage{Side: d.side.Kind, Base: d.base, Title: d.title, Text: text}
	if p.Grievance, err = h.svc.Grievance(r.Context(), d.side, id); err != nil {
		return err
	}
	return h.views.RenderFailure(w, r, "grievance", failure, &p.Error, &p.Field, &p)
}

func (h *Handlers) grievance(w http.ResponseWriter, r *http.Request) error {
	d, err := h.desk(r)
	if err != nil {
		return err
	}
	return h.renderGrievance(w, r, d, "", nil)
}

func (h *Handlers) answerGrievance(w http.ResponseWriter, r *http.Request) error {
	d, err := h.desk(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "gid", "grievance.not_found")
	if err != nil {
		return err
	}
	text := r.PostFormValue("text")
	if _, err := h.svc.AnswerGrievance(r.Context(), d.side, id, text); err != nil {
		if errs.CodeOf(err) == errs.NotFound {
			return err
		}
		return h.renderGrievance(w, r, d, text, err)
	}
	return web.Redirect(w, r, d.base+"/"+itoa(id), "grievance.sent")
}

func (h *Handlers) closeGrievance(w http.ResponseWriter, r *http.Request) error {
	d, err := h.staffDesk(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "gid", "grievance.not_found")
	if err != nil {
		return err
	}
	if err := h.svc.CloseGrievance(r.Context(), d.side, id); err != nil {
		return err
	}
	return web.Redirect(w, r, "/admin/grievances", "grievance.closed_flash")
}
