package funds

import (
	"net/http"
	"strconv"
	"time"

	"github.com/maeul/maeul/internal/ledger"
	"github.com/maeul/maeul/internal/web"
)

func (h *Handlers) points(w http.ResponseWriter, r *http.Request) error {
	type account struct {
		Account
		Name, Categories string
		Until            time.Time
		Usable, Soon     bool
	}
	type movement struct {
		Movement
		Name string
	}
	type page struct {
		Accounts  []account
		Movements []movement
	}
	res, err := h.resident(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	accounts, err := h.svc.Accounts(ctx, res.ID)
	if err != nil {
		return err
	}
	moves, err := h.svc.Movements(ctx, res.ID, 200)
	if err != nil {
		return err
	}
	now, l := h.svc.Now(), lang(r)
	names := map[string]string{}
	var p page
	for _, a := range accounts {
		names[a.Programme.Slug] = a.Programme.Name(l)
		p.Accounts = append(p.Accounts, account{Account: a, Name: a.Programme.Name(l), Categories: categoryWords(r, a.Programme.Categories),
			Until: lastDay(a.ExpiresAt), Usable: a.Usable(now), Soon: a.Balance > 0 && a.Usable(now) && a.ExpiresAt.Sub(now) <= 30*24*time.Hour})
	}
	for _, m := range moves {
		p.Movements = append(p.Movements, movement{Movement: m, Name: names[m.Programme]})
	}
	return h.views.Render(w, r, http.StatusOK, "points", p)
}

// receipt is the ledger receipt of one of the citizen's movements, which
// the points page checks in the browser (receipt.js) and which can be
// downloaded and checked offline.
func (h *Handlers) receipt(w http.ResponseWriter, r *http.Request) error {
	res, err := h.resident(r)
	if err != nil {
		return err
	}
	receipt, id, err := h.movementReceipt(r, res.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="maeul-points-receipt-`+strconv.FormatInt(id, 10)+`.json"`)
	return web.JSON(w, http.StatusOK, receipt)
}

// movementReceipt is the receipt of the movement of the path, if it is
// one of the resident's; any other is not found.
func (h *Handlers) movementReceipt(r *http.Request, residentID int64) (ledger.Receipt, int64, error) {
	id, err := pathID(r, "movement", "ledger.entry_not_found")
	if err != nil {
		return ledger.Receipt{}, 0, err
	}
	receipt, err := h.svc.Receipt(r.Context(), residentID, id)
	return receipt, id, err
}
