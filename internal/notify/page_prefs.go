package notify

import (
	"net/http"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/web"
)

// The citizen's choice of channel per kind of message, as a page and in
// the API.

// myPrefs is the signed-in person's id and their channels.
func (h *Handlers) myPrefs(r *http.Request) (int64, map[string]string, error) {
	a, err := actor.Require(r.Context())
	if err != nil {
		return 0, nil, err
	}
	prefs, err := h.svc.Prefs(r.Context(), a.Subject().ID)
	return a.Subject().ID, prefs, err
}

func (h *Handlers) prefsPage(w http.ResponseWriter, r *http.Request) error {
	_, prefs, err := h.myPrefs(r)
	if err != nil {
		return err
	}
	return h.views.Render(w, r, http.StatusOK, "prefs", map[string]any{"Prefs": prefs, "Kinds": Kinds})
}

func (h *Handlers) savePrefs(w http.ResponseWriter, r *http.Request) error {
	a, err := actor.Require(r.Context())
	if err != nil {
		return err
	}
	choice := map[string]string{}
	for _, k := range Kinds {
		choice[k] = r.PostFormValue(k)
	}
	if err := h.svc.SetPrefs(r.Context(), a.Subject().ID, choice); err != nil {
		return err
	}
	return web.Redirect(w, r, "/account/notifications", "notify.prefs_saved")
}

func (h *Handlers) prefsAPI(w http.ResponseWriter, r *http.Request) error {
	_, prefs, err := h.myPrefs(r)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"preferences": prefs})
}

func (h *Handlers) savePrefsAPI(w http.ResponseWriter, r *http.Request) error {
	a, err := actor.Require(r.Context())
	if err != nil {
		return err
	}
	var in map[string]string
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := h.svc.SetPrefs(r.Context(), a.Subject().ID, in); err != nil {
		return err
	}
	return h.prefsAPI(w, r)
}
