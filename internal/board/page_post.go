package board

import (
	"net/http"
	"strconv"

	"github.com/maeul/maeul/internal/web"
)

type postPage struct {
	web.FormState
	Zone       string
	ZoneName   string
	Thread     Thread
	CanPost    bool
	SignedIn   bool
	Reasons    []string
	MaxComment int
	HideAfter  int
}

func (h *Handlers) post(w http.ResponseWriter, r *http.Request) error {
	return h.renderPost(w, r, http.StatusOK, web.FormState{})
}

func (h *Handlers) renderPost(w http.ResponseWriter, r *http.Request, status int, form web.FormState) error {
	ctx := r.Context()
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	z, err := h.opts.Zones.Zone(ctx, r.PathValue("zone"))
	if err != nil {
		return err
	}
	t, err := h.svc.Thread(ctx, z.Code, id)
	if err != nil {
		return err
	}
	p := postPage{FormState: form, Zone: z.Code, ZoneName: z.Name(lang(r)), Thread: t, CanPost: canPost(r),
		SignedIn: viewerID(ctx) != 0, Reasons: Reasons, MaxComment: MaxComment, HideAfter: HideAfter}
	return h.views.Render(w, r, status, "post", p)
}

func (h *Handlers) addComment(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	zone := r.PathValue("zone")
	if trapped(r) {
		return web.Redirect(w, r, postURL(zone, id), "board.flash_commented")
	}
	vals := map[string]string{"comment": r.PostFormValue("comment")}
	c, err := h.svc.AddComment(r.Context(), zone, id, vals["comment"])
	if err != nil {
		return web.Redraw(r, err, vals, func(status int, form web.FormState) error {
			return h.renderPost(w, r, status, form)
		})
	}
	return web.Redirect(w, r, postURL(zone, id)+"#comment-"+strconv.FormatInt(c.ID, 10), "board.flash_commented")
}

func (h *Handlers) reportPost(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	zone := r.PathValue("zone")
	if err := h.svc.Report(r.Context(), zone, KindPost, id, r.PostFormValue("reason")); err != nil {
		return web.Redraw(r, err, map[string]string{"reason": r.PostFormValue("reason")}, func(status int, form web.FormState) error {
			return h.renderPost(w, r, status, form)
		})
	}
	// The post may now be hidden from the reporter: back to the board.
	return web.Redirect(w, r, "/board/"+zone, "board.flash_reported")
}

// target is what a post's or a comment's route names: its zone, the post
// found in that zone (a post of another zone is not found), and the
// comment's id on a comment's route.
type target struct {
	zone          string
	post, comment int64
	thread        Thread
}

func (h *Handlers) target(r *http.Request) (target, error) {
	t := target{zone: r.PathValue("zone")}
	var err error
	if t.post, err = web.PathID(r, "id"); err != nil {
		return t, err
	}
	if r.PathValue("cid") != "" {
		if t.comment, err = web.PathID(r, "cid"); err != nil {
			return t, err
		}
	}
	t.thread, err = h.svc.Thread(r.Context(), t.zone, t.post)
	return t, err
}

// targetComment is the comment of the path, under its post.
func (h *Handlers) targetComment(r *http.Request) (target, Comment, error) {
	tg, err := h.target(r)
	if err != nil {
		return tg, Comment{}, err
	}
	c, err := h.svc.Comment(r.Context(), tg.post, tg.comment)
	return tg, c, err
}

func commentURL(zone string, postID, id int64) string {
	return postURL(zone, postID) + "/comments/" + strconv.FormatInt(id, 10)
}
