package guides

import (
	"net/http"
	"strconv"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/web"
)

type requestRow struct {
	Request
	Hotspot string
	Hour    string
	Mine    bool
}

type requestsPage struct {
	Rows      []requestRow
	ClosedToo bool
	Admin     bool
}

func (h *Handlers) requestRows(r *http.Request, reqs []Request) ([]requestRow, error) {
	hs, err := h.svc.Hotspots(r.Context())
	if err != nil {
		return nil, err
	}
	names := hotspotNames(hs, lang(r))
	me := actor.From(r.Context()).ID
	var out []requestRow
	for _, x := range reqs {
		row := requestRow{Request: x, Hotspot: names[x.HotspotID], Mine: x.TakenBy == me}
		if x.Kind == VisitAt {
			row.Hour = hourLabel(x.WantedHour)
		}
		out = append(out, row)
	}
	return out, nil
}

// requests lists citizens' requests for guides and coordinators to take
// and close; phone numbers are not on the list.
func (h *Handlers) requests(w http.ResponseWriter, r *http.Request) error {
	a, err := auth.Require(r, guideRoles...)
	if err != nil {
		return err
	}
	p := requestsPage{ClosedToo: r.URL.Query().Get("closed") == "1", Admin: a.Is(adminRoles...)}
	reqs, err := h.svc.Requests(r.Context(), p.ClosedToo)
	if err != nil {
		return err
	}
	if p.Rows, err = h.requestRows(r, reqs); err != nil {
		return err
	}
	return h.views.Render(w, r, http.StatusOK, "requests", p)
}

type requestPage struct {
	requestRow
	Phone string
}

// request shows a taken call-back request with its phone number; the
// reading is audited by the service.
func (h *Handlers) request(w http.ResponseWriter, r *http.Request) error {
	x, err := web.ForPathID(r, "id", h.svc.RequestPhone)
	if err != nil {
		return err
	}
	rows, err := h.requestRows(r, []Request{x})
	if err != nil {
		return err
	}
	return h.views.Render(w, r, http.StatusOK, "request", requestPage{requestRow: rows[0], Phone: auth.FormatPhone(x.Phone)})
}

func (h *Handlers) takeRequest(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.svc.Take(r.Context(), id); err != nil {
		return err
	}
	return web.Redirect(w, r, "/guides/requests#req-"+strconv.FormatInt(id, 10), "guides.flash_taken")
}

func (h *Handlers) closeRequest(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := h.svc.CloseRequest(r.Context(), id); err != nil {
		return err
	}
	return web.Redirect(w, r, "/guides/requests", "guides.flash_closed")
}
