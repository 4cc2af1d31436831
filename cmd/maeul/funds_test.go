package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/app"
	"github.com/maeul/maeul/internal/funds"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/ledger"
)

// TestKill9DuringDisburse kills `maeul funds disburse` with SIGKILL in
// the middle of a cycle and runs it again: every beneficiary is paid
// exactly once, and the ledger holds exactly one credit for each.
func TestKill9DuringDisburse(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	ctx := context.Background()
	bin := buildMaeul(t)
	path := filepath.Join(t.TempDir(), "maeul.db")
	dsn := "sqlite:" + path
	const n = 10 * funds.CycleBatch
	d, err := openDB(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if err := benchResidents(ctx, d, n); err != nil {
		t.Fatal(err)
	}
	secret, err := identity.SecretFromFile(path + ".issuer-secret")
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(d, app.Options{IssuerSecret: secret})
	if err != nil {
		t.Fatal(err)
	}
	p := funds.DemoProgrammes(time.Now())[0]
	p.Slug, p.Mode, p.Budget = "multi-child-everyone", funds.ToEveryone, n*300_000
	if _, _, err := a.Programmes.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	d.Close()

	cmd := exec.Command(bin, "funds", "disburse", p.Slug, "--db", dsn)
	cmd.Env = append(os.Environ(), "MAEUL_LOG_LEVEL=warn")
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		// The first progress line: some batches are paid, most are not.
		if strings.HasPrefix(sc.Text(), "paying: ") {
			cmd.Process.Kill()
			break
		}
	}
	cmd.Wait()

	d, err = openDB(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var before int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM cycle_beneficiaries WHERE paid`).Scan(&before)
	if before == 0 || before == n {
		t.Fatalf("%d of %d paid when the process was killed: not mid-way", before, n)
	}
	again, err := exec.Command(bin, "funds", "disburse", p.Slug, "--db", dsn).CombinedOutput()
	if err != nil || !strings.Contains(string(again), "Resuming cycle 1") {
		t.Fatalf("second run: %v\n%s", err, again)
	}

	var paid, accounts, wrong, movements int
	var committed int64
	d.QueryRow(ctx, `SELECT COUNT(*) FROM cycle_beneficiaries WHERE paid`).Scan(&paid)
	d.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN balance = 300000 THEN 0 ELSE 1 END), 0) FROM point_accounts`).Scan(&accounts, &wrong)
	d.QueryRow(ctx, `SELECT COUNT(*) FROM point_movements`).Scan(&movements)
	d.QueryRow(ctx, `SELECT committed FROM programmes WHERE slug = $1`, p.Slug).Scan(&committed)
	if paid != n || accounts != n || wrong != 0 || movements != n || committed != n*300_000 {
		t.Fatalf("%d paid, %d accounts (%d not of 300,000), %d movements, %d committed", paid, accounts, wrong, movements, committed)
	}
	l, err := ledger.New(d, "maeul.localhost/ledger", secret)
	if err != nil {
		t.Fatal(err)
	}
	// One credit entry per movement, each naming its person by a
	// commitment of its own.
	subjects := map[string]int{}
	var credits int
	var credited int64
	if err := l.Entries(ctx, 0, func(_ uint64, e ledger.Entry) error {
		if e.Kind == ledger.PointsCredited {
			subjects[e.Subject]++
			credits++
			credited += e.Amount
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if credits != n || len(subjects) != n || credited != n*300_000 {
		t.Fatalf("the ledger has %d credits (%d subjects) of %d KRW", credits, len(subjects), credited)
	}
	t.Logf("killed with %d of %d paid; the second run paid the rest", before, n)
}
