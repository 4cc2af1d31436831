package notify

import (
	"net/http"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/web"
)

// The outbox as staff read it: the newest messages, to one recipient or
// all, as a page and in the API.

// outbox is the messages the request asks for, if its actor may read them.
func (h *Handlers) outbox(r *http.Request) ([]OutboxMessage, error) {
	if _, err := actor.Require(r.Context(), actor.CentreAdmin, actor.Operator); err != nil {
		return nil, err
	}
	return h.svc.Outbox(r.Context(), r.URL.Query().Get("to"), 200)
}

func (h *Handlers) outboxPage(w http.ResponseWriter, r *http.Request) error {
	msgs, err := h.outbox(r)
	if err != nil {
		return err
	}
	return h.views.Render(w, r, http.StatusOK, "outbox", map[string]any{"Messages": msgs, "To": r.URL.Query().Get("to")})
}

func (h *Handlers) outboxAPI(w http.ResponseWriter, r *http.Request) error {
	msgs, err := h.outbox(r)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"messages": msgs})
}
