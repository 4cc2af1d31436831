package board

import (
	"net/http"
)

type myPostsPage struct {
	Posts []Post
	Zones map[string]string // code → name
}

func (h *Handlers) myPosts(w http.ResponseWriter, r *http.Request) error {
	posts, err := h.svc.MyPosts(r.Context())
	if err != nil {
		return err
	}
	zones, err := h.opts.Zones.Zones(r.Context())
	if err != nil {
		return err
	}
	p := myPostsPage{Posts: posts, Zones: map[string]string{}}
	for _, z := range zones {
		p.Zones[z.Code] = z.Name(lang(r))
	}
	return h.views.Render(w, r, http.StatusOK, "my_posts", p)
}
