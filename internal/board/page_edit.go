package board

import (
	"net/http"
	"strconv"
	"time"

	"github.com/maeul/maeul/internal/web"
)

// The edit page of one's own post or comment, within a day: change or
// delete it.

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
		return web.Redraw(r, err, vals, func(status int, form web.FormState) error {
			return h.renderEditPost(w, r, status, form)
		})
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

func (h *Handlers) editCommentForm(w http.ResponseWriter, r *http.Request) error {
	return h.renderEditComment(w, r, http.StatusOK, web.FormState{})
}

func (h *Handlers) renderEditComment(w http.ResponseWriter, r *http.Request, status int, form web.FormState) error {
	tg, c, err := h.targetComment(r)
	if err != nil {
		return err
	}
	zone, postID, id := tg.zone, tg.post, tg.comment
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
		return web.Redraw(r, err, vals, func(status int, form web.FormState) error {
			return h.renderEditComment(w, r, status, form)
		})
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
