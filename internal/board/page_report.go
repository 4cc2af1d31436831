package board

import (
	"net/http"

	"github.com/maeul/maeul/internal/web"
)

// Reporting a comment: the reasons to choose from, and how many reports
// hide it.

type reportPage struct {
	web.FormState
	Zone      string
	Action    string
	Back      string
	Comment   Comment
	Reasons   []string
	HideAfter int
}

func (h *Handlers) reportCommentForm(w http.ResponseWriter, r *http.Request) error {
	return h.renderReportComment(w, r, http.StatusOK, web.FormState{})
}

func (h *Handlers) renderReportComment(w http.ResponseWriter, r *http.Request, status int, form web.FormState) error {
	tg, c, err := h.targetComment(r)
	if err != nil {
		return err
	}
	zone, postID, id := tg.zone, tg.post, tg.comment
	p := reportPage{FormState: form, Zone: zone, Action: commentURL(zone, postID, id) + "/report", Back: postURL(zone, postID), Comment: c, Reasons: Reasons, HideAfter: HideAfter}
	return h.views.Render(w, r, status, "report", p)
}

func (h *Handlers) reportComment(w http.ResponseWriter, r *http.Request) error {
	tg, _, err := h.targetComment(r)
	if err != nil {
		return err
	}
	zone, postID, id := tg.zone, tg.post, tg.comment
	if err := h.svc.Report(r.Context(), zone, KindComment, id, r.PostFormValue("reason")); err != nil {
		return web.Redraw(r, err, map[string]string{"reason": r.PostFormValue("reason")}, func(status int, form web.FormState) error {
			return h.renderReportComment(w, r, status, form)
		})
	}
	return web.Redirect(w, r, postURL(zone, postID), "board.flash_reported")
}
