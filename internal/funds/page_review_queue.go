package funds

import (
	"net/http"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/web"
)

// The reviewers' queue: applications waiting for review, and co-payments
// due, recorded from the same page.

type queueItem struct {
	Application
	Programme Programme
	Reason    string
}

type queuePage struct {
	Queue  []queueItem
	Due    []queueItem
	Error  string
	Field  string
	For    int64
	Values map[string]string
}

// queueItems are the applications of list with their programmes (read
// once each through cache) and why each waits.
func (h *Handlers) queueItems(r *http.Request, list []Application, cache map[int64]Programme) ([]queueItem, error) {
	out := make([]queueItem, 0, len(list))
	for _, a := range list {
		p, ok := cache[a.ProgrammeID]
		if !ok {
			var err error
			if p, err = h.svc.Programmes.byID(r.Context(), h.svc.db.Read(), a.ProgrammeID); err != nil {
				return nil, err
			}
			cache[a.ProgrammeID] = p
		}
		out = append(out, queueItem{Application: a, Programme: p, Reason: reasonText(r, a, p)})
	}
	return out, nil
}

func (h *Handlers) renderQueue(w http.ResponseWriter, r *http.Request, p queuePage, failure error) error {
	if _, err := actor.Require(r.Context(), staff...); err != nil {
		return err
	}
	cache := map[int64]Programme{}
	list, err := h.svc.ReviewQueue(r.Context())
	if err != nil {
		return err
	}
	if p.Queue, err = h.queueItems(r, list, cache); err != nil {
		return err
	}
	if list, err = h.svc.AwaitingCoPayment(r.Context()); err != nil {
		return err
	}
	if p.Due, err = h.queueItems(r, list, cache); err != nil {
		return err
	}
	return h.views.RenderFailure(w, r, "staff_applications", failure, &p.Error, &p.Field, &p)
}

func (h *Handlers) reviewQueuePage(w http.ResponseWriter, r *http.Request) error {
	return h.renderQueue(w, r, queuePage{}, nil)
}

func (h *Handlers) recordCoPayment(w http.ResponseWriter, r *http.Request) error {
	a, err := actor.Require(r.Context(), staff...)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id", "funds.application_not_found")
	if err != nil {
		return err
	}
	ref := r.PostFormValue("reference")
	if _, err := h.svc.RecordCoPayment(r.Context(), id, a.ID, ref); err != nil {
		return h.renderQueue(w, r, queuePage{For: id, Values: map[string]string{"reference": ref}}, err)
	}
	return web.Redirect(w, r, "/admin/applications", "review.co_paid_flash")
}
