package board

import (
	"net/http"
	"strconv"

	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/web"
)

type newsAdminPage struct {
	web.FormState
	Zone     string
	Zones    []web.Option
	News     []News
	Editing  News // ID 0: a new notice
	MaxTitle int
	MaxBody  int
}

func newsValues(r *http.Request) (NewsInput, map[string]string) {
	vals := map[string]string{"zone": r.PostFormValue("zone"), "title": r.PostFormValue("title"), "body": r.PostFormValue("body"),
		"published": r.PostFormValue("published"), "pinned": r.PostFormValue("pinned")}
	return NewsInput{Zone: vals["zone"], Title: vals["title"], Body: vals["body"], Published: vals["published"] == "1", Pinned: vals["pinned"] == "1"}, vals
}

// adminNews lists a zone's notices, drafts included, with the form for a
// new one.
func (h *Handlers) adminNews(w http.ResponseWriter, r *http.Request) error {
	return h.renderNews(w, r, http.StatusOK, r.URL.Query().Get("zone"), News{}, web.FormState{})
}

func (h *Handlers) renderNews(w http.ResponseWriter, r *http.Request, status int, zone string, editing News, form web.FormState) error {
	if _, err := auth.Require(r, staffRoles...); err != nil {
		return err
	}
	zones, err := h.opts.Zones.Zones(r.Context())
	if err != nil {
		return err
	}
	p := newsAdminPage{FormState: form, Editing: editing, MaxTitle: MaxNewsTitle, MaxBody: MaxNewsBody}
	for _, z := range zones {
		p.Zones = append(p.Zones, web.Option{Value: z.Code, Label: z.Name(lang(r))})
		if z.Code == zone {
			p.Zone = zone
		}
	}
	if p.Zone != "" {
		if p.News, err = h.svc.AllNews(r.Context(), p.Zone); err != nil {
			return err
		}
	}
	if p.Values == nil {
		p.Values = map[string]string{"zone": p.Zone}
		if editing.ID != 0 {
			p.Values = map[string]string{"zone": editing.Zone, "title": editing.Title, "body": editing.Body,
				"published": web.Checkbox(editing.Published), "pinned": web.Checkbox(editing.Pinned)}
		}
	}
	return h.views.Render(w, r, status, "news_admin", p)
}

func (h *Handlers) createNews(w http.ResponseWriter, r *http.Request) error {
	in, vals := newsValues(r)
	n, err := h.svc.SaveNews(r.Context(), 0, in)
	if err != nil {
		return web.Redraw(r, err, vals, func(status int, form web.FormState) error {
			return h.renderNews(w, r, status, in.Zone, News{}, form)
		})
	}
	return web.Redirect(w, r, "/admin/board/news?zone="+n.Zone, "board.flash_news_saved")
}

func (h *Handlers) editNewsForm(w http.ResponseWriter, r *http.Request) error {
	n, err := web.ForPathID(r, "id", h.svc.NewsItem)
	if err != nil {
		return err
	}
	return h.renderNews(w, r, http.StatusOK, n.Zone, n, web.FormState{})
}

func (h *Handlers) saveNews(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	in, vals := newsValues(r)
	n, err := h.svc.SaveNews(r.Context(), id, in)
	if err != nil {
		return web.Redraw(r, err, vals, func(status int, form web.FormState) error {
			return h.renderNews(w, r, status, in.Zone, News{ID: id, Zone: in.Zone}, form)
		})
	}
	return web.Redirect(w, r, "/admin/board/news?zone="+n.Zone+"#news-"+strconv.FormatInt(n.ID, 10), "board.flash_news_saved")
}
