package board

import (
	"net/http"
	"strconv"
	"time"

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
		form, status, ferr := web.Refused(r, err, vals)
		if ferr != nil {
			return ferr
		}
		return h.renderPost(w, r, status, form)
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
		form, status, ferr := web.Refused(r, err, map[string]string{"reason": r.PostFormValue("reason")})
		if ferr != nil {
			return ferr
		}
		return h.renderPost(w, r, status, form)
	}
	// The post may now be hidden from the reporter: back to the board.
	return web.Redirect(w, r, "/board/"+zone, "board.flash_reported")
}

type editPage struct {
	web.FormState
	Zone     string
	Action   string // where the form posts
	Back     string
	Delete   string // where the delete form posts
	Kind     string
	Editable bool // visible: an item under review or hidden may only be deleted
	Until    time.Time
	MaxTitle int
	MaxBody  int
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

func (h *Handlers) editPostForm(w http.ResponseWriter, r *http.Request) error {
	return h.renderEditPost(w, r, http.StatusOK, web.FormState{})
}

func (h *Handlers) renderEditPost(w http.ResponseWriter, r *http.Request, status int, form web.FormState) error {
	tg, err := h.target(r)
	if err != nil {
		return err
	}
	zone, id, t := tg.zone, tg.post, tg.thread
	if !t.Post.CanChange {
		return h.svc.mayChange(viewerID(r.Context()), t.Post.AuthorID, t.Post.CreatedAt)
	}
	if form.Values == nil {
		form.Values = map[string]string{"title": t.Post.Title, "body": t.Post.Body}
	}
	url := postURL(zone, id)
	p := editPage{FormState: form, Zone: zone, Action: url + "/edit", Back: url, Delete: url + "/delete", Kind: KindPost, Editable: t.Post.Status == Visible,
		Until: t.Post.ChangeableUntil(), MaxTitle: MaxTitle, MaxBody: MaxBody}
	return h.views.Render(w, r, status, "edit", p)
}

func (h *Handlers) editPost(w http.ResponseWriter, r *http.Request) error {
	tg, err := h.target(r)
	if err != nil {
		return err
	}
	zone, id := tg.zone, tg.post
	vals := map[string]string{"title": r.PostFormValue("title"), "body": r.PostFormValue("body")}
	if _, err := h.svc.EditPost(r.Context(), id, PostInput{Title: vals["title"], Body: vals["body"]}); err != nil {
		form, status, ferr := web.Refused(r, err, vals)
		if ferr != nil {
			return ferr
		}
		return h.renderEditPost(w, r, status, form)
	}
	return web.Redirect(w, r, postURL(zone, id), "board.flash_saved")
}

func (h *Handlers) deletePost(w http.ResponseWriter, r *http.Request) error {
	tg, err := h.target(r)
	if err != nil {
		return err
	}
	if err := h.svc.DeletePost(r.Context(), tg.post); err != nil {
		return err
	}
	return web.Redirect(w, r, "/board/"+tg.zone, "board.flash_deleted")
}

func commentURL(zone string, postID, id int64) string {
	return postURL(zone, postID) + "/comments/" + strconv.FormatInt(id, 10)
}

func (h *Handlers) editCommentForm(w http.ResponseWriter, r *http.Request) error {
	return h.renderEditComment(w, r, http.StatusOK, web.FormState{})
}

func (h *Handlers) renderEditComment(w http.ResponseWriter, r *http.Request, status int, form web.FormState) error {
	tg, err := h.target(r)
	if err != nil {
		return err
	}
	zone, postID, id := tg.zone, tg.post, tg.comment
	c, err := h.svc.Comment(r.Context(), postID, id)
	if err != nil {
		return err
	}
	if !c.CanChange {
		return h.svc.mayChange(viewerID(r.Context()), c.AuthorID, c.CreatedAt)
	}
	if form.Values == nil {
		form.Values = map[string]string{"comment": c.Body}
	}
	url := commentURL(zone, postID, id)
	p := editPage{FormState: form, Zone: zone, Action: url + "/edit", Back: postURL(zone, postID), Delete: url + "/delete", Kind: KindComment, Editable: c.Status == Visible,
		Until: c.CreatedAt.Add(EditWindow), MaxBody: MaxComment}
	return h.views.Render(w, r, status, "edit", p)
}

func (h *Handlers) editComment(w http.ResponseWriter, r *http.Request) error {
	tg, err := h.target(r)
	if err != nil {
		return err
	}
	zone, postID, id := tg.zone, tg.post, tg.comment
	vals := map[string]string{"comment": r.PostFormValue("comment")}
	if _, err := h.svc.EditComment(r.Context(), postID, id, vals["comment"]); err != nil {
		form, status, ferr := web.Refused(r, err, vals)
		if ferr != nil {
			return ferr
		}
		return h.renderEditComment(w, r, status, form)
	}
	return web.Redirect(w, r, postURL(zone, postID)+"#comment-"+strconv.FormatInt(id, 10), "board.flash_saved")
}

func (h *Handlers) deleteComment(w http.ResponseWriter, r *http.Request) error {
	tg, err := h.target(r)
	if err != nil {
		return err
	}
	zone, postID, id := tg.zone, tg.post, tg.comment
	if err := h.svc.DeleteComment(r.Context(), postID, id); err != nil {
		return err
	}
	return web.Redirect(w, r, postURL(zone, postID), "board.flash_deleted")
}

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
	tg, err := h.target(r)
	if err != nil {
		return err
	}
	zone, postID, id := tg.zone, tg.post, tg.comment
	c, err := h.svc.Comment(r.Context(), postID, id)
	if err != nil {
		return err
	}
	p := reportPage{FormState: form, Zone: zone, Action: commentURL(zone, postID, id) + "/report", Back: postURL(zone, postID), Comment: c, Reasons: Reasons, HideAfter: HideAfter}
	return h.views.Render(w, r, status, "report", p)
}

func (h *Handlers) reportComment(w http.ResponseWriter, r *http.Request) error {
	postID, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	id, err := web.PathID(r, "cid")
	if err != nil {
		return err
	}
	zone := r.PathValue("zone")
	if _, err := h.svc.Comment(r.Context(), postID, id); err != nil {
		return err
	}
	if err := h.svc.Report(r.Context(), zone, KindComment, id, r.PostFormValue("reason")); err != nil {
		form, status, ferr := web.Refused(r, err, map[string]string{"reason": r.PostFormValue("reason")})
		if ferr != nil {
			return ferr
		}
		return h.renderReportComment(w, r, status, form)
	}
	return web.Redirect(w, r, postURL(zone, postID), "board.flash_reported")
}
