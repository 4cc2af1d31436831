package funds

import (
	"net/http"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/web"
)

type paymentRequestJSON struct {
	ID         string    `json:"id"`
	MerchantID int64     `json:"merchant_id"`
	Amount     int64     `json:"amount"`
	CreatedAt  time.Time `json:"created_at"`
	ExpiresAt  time.Time `json:"expires_at"`
}

type paymentJSON struct {
	ID         int64     `json:"id"`
	Request    string    `json:"request"`
	MerchantID int64     `json:"merchant_id"`
	Merchant   string    `json:"merchant"`
	Programme  string    `json:"programme"`
	Amount     int64     `json:"amount"`
	Refunded   int64     `json:"refunded"`
	PaidAt     time.Time `json:"paid_at"`
}

func toPaymentJSON(p Payment) paymentJSON {
	return paymentJSON{p.ID, p.RequestID, p.MerchantID, p.Merchant, p.Programme, p.Amount, p.Refunded, p.PaidAt}
}

// pointsMovements bounds the movements GET /api/v1/points returns.
const pointsMovements = 100

// Payments as JSON: merchants' owners ask for payment, citizens pay and
// read their points.

// apiResident is the person a signed-in citizen (or the citizen an
// operator acts for) proved to be.
func (h *Handlers) apiResident(r *http.Request) (identity.Resident, error) {
	a, err := actor.Require(r.Context(), actor.Citizen)
	if err != nil {
		return identity.Resident{}, err
	}
	res, err := h.svc.registry.ResidentOf(r.Context(), a.Subject().ID)
	if errs.CodeOf(err) == errs.NotFound {
		return res, errs.New(errs.Conflict, "identity.not_proofed")
	}
	return res, err
}

func (h *Handlers) requestPaymentAPI(w http.ResponseWriter, r *http.Request) error {
	a, err := actor.Require(r.Context())
	if err != nil {
		return err
	}
	var in struct {
		MerchantID int64 `json:"merchant_id"`
		Amount     int64 `json:"amount"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	req, err := h.svc.RequestPayment(r.Context(), a.ID, in.MerchantID, in.Amount)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusCreated, paymentRequestJSON{req.ID, req.MerchantID, req.Amount, req.CreatedAt, req.ExpiresAt})
}

func (h *Handlers) payAPI(w http.ResponseWriter, r *http.Request) error {
	if err := payingInPerson(r.Context()); err != nil {
		return err
	}
	res, err := h.apiResident(r)
	if err != nil {
		return err
	}
	key := r.Header.Get("Idempotency-Key")
	var in struct {
		Request string `json:"request"`
	}
	if err := web.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	p, err := h.svc.Pay(r.Context(), res.ID, in.Request, key)
	if err != nil {
		return err
	}
	if p.Replayed {
		// A repeated call: the payment it made, and 200 instead of 201.
		return web.JSON(w, http.StatusOK, toPaymentJSON(p))
	}
	return web.JSON(w, http.StatusCreated, toPaymentJSON(p))
}

func (h *Handlers) pointsAPI(w http.ResponseWriter, r *http.Request) error {
	res, err := h.apiResident(r)
	if err != nil {
		return err
	}
	accounts, err := h.svc.Accounts(r.Context(), res.ID)
	if err != nil {
		return err
	}
	moves, err := h.svc.Movements(r.Context(), res.ID, pointsMovements)
	if err != nil {
		return err
	}
	type accountJSON struct {
		Programme string    `json:"programme"`
		Balance   int64     `json:"balance"`
		ExpiresAt time.Time `json:"expires_at"`
		Usable    bool      `json:"usable"`
	}
	type movementJSON struct {
		ID           int64     `json:"id"`
		Programme    string    `json:"programme"`
		Kind         string    `json:"kind"`
		Amount       int64     `json:"amount"`
		BalanceAfter int64     `json:"balance_after"`
		Merchant     string    `json:"merchant,omitempty"`
		PaymentID    int64     `json:"payment_id,omitempty"`
		At           time.Time `json:"at"`
	}
	out := struct {
		Accounts  []accountJSON  `json:"accounts"`
		Movements []movementJSON `json:"movements"`
	}{Accounts: []accountJSON{}, Movements: []movementJSON{}}
	now := h.svc.Now()
	for _, a := range accounts {
		out.Accounts = append(out.Accounts, accountJSON{a.Programme.Slug, a.Balance, a.ExpiresAt, a.Usable(now)})
	}
	for _, m := range moves {
		out.Movements = append(out.Movements, movementJSON{m.ID, m.Programme, m.Kind, m.Amount, m.BalanceAfter, m.Merchant, m.PaymentID, m.At})
	}
	return web.JSON(w, http.StatusOK, out)
}

// receiptAPI is the ledger receipt of one of the citizen's movements (an
// id of GET /api/v1/points): the entry, its proof, the signed checkpoint
// and the opening that shows the entry is theirs. Another citizen's is not
// found.
func (h *Handlers) receiptAPI(w http.ResponseWriter, r *http.Request) error {
	res, err := h.apiResident(r)
	if err != nil {
		return err
	}
	receipt, _, err := h.movementReceipt(r, res.ID)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, receipt)
}
