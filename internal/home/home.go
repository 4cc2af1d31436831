package home

import (
	"context"
	"embed"
	"log/slog"
	"net/http"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Block is one block of a home page, as a part's filler made it: its texts
// in the person's language, the part's page it links to, and what to do
// first when it is empty.
type Block struct {
	Title  string // catalogue key of the heading
	Href   string // the part's page: where a block that failed sends the person
	Lines  []Line
	Empty  string // catalogue key: said when there are no lines
	Action *Link  // the one next step, if there is one
	// Count is how many wait in a staff queue; shown as a number when
	// Counted.
	Count   int
	Counted bool
	Failed  bool // the filler failed; the block says so and the page goes on
}

// Line is one thing in a block, already in the person's language.
type Line struct {
	Text   string
	Detail string
	Href   string
	Tone   string // "", "ok", "warn" or "err": a badge's look, never its meaning alone
	Badge  string
}

// Link is a button: a catalogue key and where it goes.
type Link struct {
	Label string
	Href  string
}

// Source fills one block for the request's actor, in lang. ok false leaves
// the block out (nothing to say to this person).
type Source struct {
	Roles []actor.Role // staff sources: who sees the block (a system admin sees all)
	Fill  func(ctx context.Context, a *actor.Actor, lang string) (b Block, ok bool, err error)
}

// Options are the home page's dependencies, filled by app.
type Options struct {
	Citizen []Source // "내 마을", in order
	Staff   []Source // the staff's home, in order
}

// Handlers serve the home page.
type Handlers struct {
	opts  Options
	views *web.Views
}

// Register adds the home page at "/".
func Register(rt *web.Router, opts Options) {
	h := &Handlers{opts: opts, views: web.MustViews(templateFS)}
	rt.Handle("GET /{$}", h.home)
	rt.Handle("GET /api/v1/me/home", h.apiHome)
}

// sourcesFor are the blocks of a's home: the staff's queues, or 내 마을.
func (h *Handlers) sourcesFor(a *actor.Actor) (sources []Source, staff bool) {
	if a.Role.Staff() {
		return h.opts.Staff, true
	}
	return h.opts.Citizen, false
}

type sharedKey struct{}

type shared map[string]sharedValue

type sharedValue struct {
	v   any
	err error
}

// Shared returns what f gives for key, running f at most once while one
// home is filled: for what several blocks need (the resident a citizen
// proved to be), so it is not looked up once per block.
func Shared[T any](ctx context.Context, key string, f func() (T, error)) (T, error) {
	m, _ := ctx.Value(sharedKey{}).(shared)
	if m == nil {
		return f()
	}
	if got, ok := m[key]; ok {
		v, _ := got.v.(T)
		return v, got.err
	}
	v, err := f()
	m[key] = sharedValue{v, err}
	return v, err
}

// fill runs the sources a may see, one after another, sharing what they
// look up (Shared). A failing block is logged and shown as failed rather
// than taking the whole page down.
func fill(ctx context.Context, a *actor.Actor, lang string, sources []Source) []Block {
	ctx = context.WithValue(ctx, sharedKey{}, shared{})
	var out []Block
	for _, s := range sources {
		if len(s.Roles) > 0 && !a.Is(s.Roles...) {
			continue
		}
		b, ok, err := s.Fill(ctx, a, lang)
		if err != nil {
			slog.ErrorContext(ctx, "home: block", "block", b.Title, "err", err)
			b, ok = Block{Title: b.Title, Href: b.Href, Failed: true}, b.Title != ""
		}
		if ok {
			out = append(out, b)
		}
	}
	return out
}

// apiBlock is a block as the API gives it: every text in the request's
// language, so a partner app shows the same home as the page.
type apiBlock struct {
	Title  string    `json:"title"`
	Href   string    `json:"href"`
	Lines  []apiLine `json:"lines"`
	Empty  string    `json:"empty,omitempty"`
	Action *apiLink  `json:"action,omitempty"`
	Count  *int      `json:"count,omitempty"`
	Failed bool      `json:"failed,omitempty"`
}

type apiLine struct {
	Text   string `json:"text"`
	Detail string `json:"detail,omitempty"`
	Href   string `json:"href,omitempty"`
	Tone   string `json:"tone,omitempty"`
	Badge  string `json:"badge,omitempty"`
}

type apiLink struct {
	Label string `json:"label"`
	Href  string `json:"href"`
}

// apiHome is the signed-in person's home as JSON: "내 마을" for a citizen,
// the queues for staff.
func (h *Handlers) apiHome(w http.ResponseWriter, r *http.Request) error {
	a, err := actor.Require(r.Context())
	if err != nil {
		return err
	}
	sources, staff := h.sourcesFor(a)
	kind := "citizen"
	if staff {
		kind = "staff"
	}
	out := []apiBlock{}
	for _, b := range fill(r.Context(), a, web.PrefsFrom(r.Context()).Lang, sources) {
		ab := apiBlock{Title: web.T(r, b.Title), Href: b.Href, Lines: []apiLine{}, Failed: b.Failed}
		if b.Empty != "" && len(b.Lines) == 0 && !b.Failed {
			ab.Empty = web.T(r, b.Empty)
		}
		if b.Action != nil {
			ab.Action = &apiLink{Label: web.T(r, b.Action.Label), Href: b.Action.Href}
		}
		if b.Counted {
			n := b.Count
			ab.Count = &n
		}
		for _, l := range b.Lines {
			ab.Lines = append(ab.Lines, apiLine(l))
		}
		out = append(out, ab)
	}
	return web.JSON(w, http.StatusOK, map[string]any{"kind": kind, "blocks": out})
}

type homePage struct {
	Blocks []Block
	Staff  bool
}

// home is 내 마을 or the staff's home; a visitor is welcomed with what the
// menu offers (the page's own .Nav).
func (h *Handlers) home(w http.ResponseWriter, r *http.Request) error {
	a := actor.From(r.Context())
	if a == nil {
		return h.views.Render(w, r, http.StatusOK, "welcome", nil)
	}
	sources, staff := h.sourcesFor(a)
	return h.views.Render(w, r, http.StatusOK, "home", homePage{Staff: staff, Blocks: fill(r.Context(), a, web.PrefsFrom(r.Context()).Lang, sources)})
}
