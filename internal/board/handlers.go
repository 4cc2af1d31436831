package board

import (
	"embed"
	"net/http"
	"strconv"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Handlers serves the board's pages.
type Handlers struct {
	svc   *Service
	views *web.Views
	opts  Options
}

// Register adds the board's pages to rt.
func Register(rt *web.Router, svc *Service, opts Options) {
	h := &Handlers{svc: svc, views: web.MustViews(templateFS), opts: opts}
	rt.Handle("GET /board", h.zones)
	rt.Handle("GET /board/{zone}", h.zone)
	rt.Handle("GET /board/{zone}/events.ics", h.eventsICS)
	rt.Handle("POST /board/{zone}/posts", h.createPost)
	rt.Handle("GET /board/{zone}/posts/{id}", h.post)
	rt.Handle("GET /board/{zone}/posts/{id}/edit", h.editPostForm)
	rt.Handle("POST /board/{zone}/posts/{id}/edit", h.editPost)
	rt.Handle("POST /board/{zone}/posts/{id}/delete", h.deletePost)
	rt.Handle("POST /board/{zone}/posts/{id}/report", h.reportPost)
	rt.Handle("POST /board/{zone}/posts/{id}/comments", h.addComment)
	rt.Handle("GET /board/{zone}/posts/{id}/comments/{cid}/edit", h.editCommentForm)
	rt.Handle("POST /board/{zone}/posts/{id}/comments/{cid}/edit", h.editComment)
	rt.Handle("POST /board/{zone}/posts/{id}/comments/{cid}/delete", h.deleteComment)
	rt.Handle("GET /board/{zone}/posts/{id}/comments/{cid}/report", h.reportCommentForm)
	rt.Handle("POST /board/{zone}/posts/{id}/comments/{cid}/report", h.reportComment)
	rt.Handle("GET /my/posts", h.myPosts)
	rt.Handle("GET /admin/board/news", h.adminNews)
	rt.Handle("POST /admin/board/news", h.createNews)
	rt.Handle("GET /admin/board/news/{id}", h.editNewsForm)
	rt.Handle("POST /admin/board/news/{id}", h.saveNews)
	rt.Handle("GET /admin/board/moderation", h.moderation)
	rt.Handle("POST /admin/board/moderation/{kind}/{id}", h.moderate)
	rt.AddNav(
		web.NavItem{Key: "nav.board", Href: "/board", Group: web.GroupTown},
		web.NavItem{Key: "nav.my_posts", Href: "/my/posts", Group: web.GroupTown, SignedIn: true},
		web.NavItem{Key: "nav.board_news", Href: "/admin/board/news", Group: web.GroupWorkTown, Roles: staffRoles},
		web.NavItem{Key: "nav.board_moderation", Href: "/admin/board/moderation", Group: web.GroupWorkTown, Roles: staffRoles},
	)
}

func lang(r *http.Request) string { return web.PrefsFrom(r.Context()).Lang }

// trapped reports whether a form's trap field, which people never see,
// was filled: a bot's submission, dropped without a word.
func trapped(r *http.Request) bool { return r.PostFormValue(trapField) != "" }

const trapField = "website"

func postURL(zone string, id int64) string {
	return "/board/" + zone + "/posts/" + strconv.FormatInt(id, 10)
}

// canPost reports whether the viewer may write on a board.
func canPost(r *http.Request) bool {
	a := actor.From(r.Context())
	return a != nil && a.Subject().Role == actor.Citizen
}
