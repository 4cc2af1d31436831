package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/funds"
	"github.com/maeul/maeul/internal/identity"
)

// benchPayments has clients signed-in citizens, each with points from a
// programme paid to everyone, pay a merchant's payment requests through
// POST /api/v1/payments: first at --rate payments a second in all (the
// target load, latency counted from when each payment was due), then as
// fast as the clients can (the capacity). It then checks that no balance
// went below zero and that the payments add up to what the balances lost.
func benchPayments(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("bench payments", "bench payments [--clients 200] [--payments 20000] [--rate 1000]")
	clients := fs.Int("clients", 200, "concurrent citizens paying")
	n := fs.Int("payments", 20_000, "payments to make in each of the two runs")
	rate := fs.Float64("rate", 1000, "payments a second, in all, for the paced run")
	profile := fs.String("cpuprofile", "", "write a CPU profile of both runs to this file (go tool pprof)")
	a, cleanup, err := benchApp(ctx, fs, args)
	if err != nil {
		return err
	}
	defer cleanup()
	actx := actor.With(ctx, &actor.Actor{Person: actor.Person{Name: "bench", Role: actor.SysAdmin}, Channel: "cli"})
	birth := time.Date(1985, 3, 2, 0, 0, 0, 0, time.UTC)
	registry := identity.NewRegistry(a.DB)
	residents := make([]identity.Resident, *clients)
	users := make([]auth.NewUser, *clients+1)
	for i := range residents {
		residents[i] = identity.Resident{RegistryID: fmt.Sprintf("P-%06d", i), Name: fmt.Sprintf("bench %d", i), BirthDate: birth, District: "21090",
			Zone: "HAE-1", HouseholdID: fmt.Sprintf("PH-%d", i), ChildrenUnder19: 2, Phone: fmt.Sprintf("+821077%06d", i)}
		users[i] = auth.NewUser{Name: residents[i].Name, Phone: residents[i].Phone}
	}
	users[*clients] = auth.NewUser{Name: "bench merchant", Phone: "+821088000000"}
	var ids map[string]int64
	if err := a.DB.Tx(actx, func(tx *sql.Tx) error {
		if err := registry.SaveTx(actx, tx, residents); err != nil {
			return err
		}
		ids, err = a.Auth.Users.CreateCitizensTx(actx, tx, users)
		return err
	}); err != nil {
		return err
	}
	tokens := make([]string, *clients)
	for i, u := range users[:*clients] {
		citizen := auth.User{ID: ids[u.Phone], Role: actor.Citizen, Name: u.Name, Phone: u.Phone}
		cctx := actor.With(ctx, &actor.Actor{Person: actor.Person{ID: citizen.ID, Role: actor.Citizen, Name: u.Name, Phone: u.Phone}})
		if _, err := registry.ProofBySignIn(cctx, u.Name, birth); err != nil {
			return fmt.Errorf("proofing %s: %w", u.Phone, err)
		}
		if tokens[i], _, err = a.Auth.Sessions.Issue(actx, citizen); err != nil {
			return err
		}
	}
	p := funds.DemoProgrammes(time.Now())[0]
	p.Slug, p.Mode, p.Budget = "bench-everyone", funds.ToEveryone, int64(*clients)*300_000
	if _, _, err := a.Programmes.Save(ctx, p); err != nil {
		return err
	}
	if _, err := a.Funds.StartCycle(ctx, p.Slug); err != nil {
		return err
	}
	if _, err := a.Funds.PayCycle(ctx, p.Slug, nil); err != nil {
		return err
	}
	owner := ids["+821088000000"]
	m, err := a.Funds.RegisterMerchant(ctx, owner, funds.Merchant{BusinessNumber: "2208162517", Name: "bench academy", Category: "education", District: "21090"})
	if err != nil {
		return err
	}
	var staff int64
	if err := a.DB.Write().QueryRowContext(ctx, `INSERT INTO users (role, name, username, created_at) VALUES ($1, 'bench staff', 'bench-staff', $2)
		RETURNING id`, actor.FundsAdmin, time.Now().UTC().Truncate(time.Second)).Scan(&staff); err != nil {
		return err
	}
	if err := a.Funds.DecideMerchant(actx, m.ID, staff, true, ""); err != nil {
		return err
	}
	requests := make([]string, 2**n)
	for i := range requests {
		r, err := a.Funds.RequestPayment(ctx, owner, m.ID, int64(1000+i%7*100))
		if err != nil {
			return err
		}
		requests[i] = r.ID
	}

	base, client, stop, err := benchServe(a, *clients)
	if err != nil {
		return err
	}
	defer stop()
	pay := func(i int) error {
		body := strings.NewReader(`{"request":"` + requests[i] + `"}`)
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/payments", body)
		req.Header.Set("Cookie", auth.CookieName+"="+tokens[i%*clients]+"; maeul_csrf="+benchCSRF)
		req.Header.Set("X-CSRF-Token", benchCSRF)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", funds.NewKey())
		return benchSend(client, req, http.StatusCreated, "pay")
	}
	stopProfile, err := startProfile(*profile)
	if err != nil {
		return err
	}
	paced := runPaced(*clients, *n, *rate, pay)
	fmt.Fprintf(stdout, "POST /api/v1/payments  %s  (%d clients, paced at %.0f/s)\n", paced, *clients, *rate)
	full := runN(*clients, *n, func(i int) error { return pay(*n + i) })
	stopProfile()
	fmt.Fprintf(stdout, "POST /api/v1/payments  %s  (%d clients, as fast as they can)\n", full, *clients)
	r := loadResult{n: paced.n + full.n, failed: paced.failed + full.failed}
	var count, paid, balances, negative int64
	a.DB.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM payments`).Scan(&count, &paid)
	a.DB.QueryRow(ctx, `SELECT COALESCE(SUM(balance), 0), COALESCE(SUM(CASE WHEN balance < 0 THEN 1 ELSE 0 END), 0) FROM point_accounts`).Scan(&balances, &negative)
	if negative > 0 || paid != int64(*clients)*300_000-balances || count != r.n-r.failed {
		return fmt.Errorf("bench: %d payments of %d KRW, %d balances below zero, balances lost %d KRW, %d calls succeeded",
			count, paid, negative, int64(*clients)*300_000-balances, r.n-r.failed)
	}
	fmt.Fprintf(stdout, "checked: %d payments, %d KRW, exactly what the balances lost; no balance below zero\n", count, paid)
	return nil
}
