package db_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
)

// unmigrated runs fn on an empty database of every backend.
func unmigrated(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	open := func(t *testing.T, dsn string) *db.DB {
		d, err := db.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		return d
	}
	t.Run("sqlite", func(t *testing.T) { fn(t, open(t, "sqlite:"+filepath.Join(t.TempDir(), "old.db"))) })
	t.Run("postgres", func(t *testing.T) { fn(t, open(t, dbtest.PostgresDSN(t))) })
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// TestMigrationScrubsCodes: migration 22 leaves no sign-in code, nor an
// unkeyed hash of a code or PIN, from what earlier versions kept; it keeps
// the outbox's other messages and the sign-in messages' kind, recipient,
// subject and status, and expires the offers whose PIN can no longer be
// checked.
func TestMigrationScrubsCodes(t *testing.T) {
	unmigrated(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.MigrateTo(ctx, 21); err != nil {
			t.Fatal(err)
		}
		now := db.Time(time.Now())
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := d.Exec(ctx, q, args...); err != nil {
				t.Fatalf("%v\n%s", err, q)
			}
		}
		out := `INSERT INTO outbox (channel, recipient, kind, subject, body, status, created_at) VALUES ('sms', $1, $2, $3, $4, $5, $6)`
		exec(out, "+821011110000", "login_code", "마을 인증번호", "[마을] 인증번호는 482913 입니다.", "recorded", now)
		exec(out, "+821011110001", "login_code", "마을 인증번호", "[마을] 인증번호는 730051 입니다.", "pending", now)
		exec(out, "+821011110002", "registration", "[마을 디지털배움터] 수업 안내", "수업 신청이 확정되었습니다.", "sent", now)
		exec(`INSERT INTO login_codes (phone, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			"+821011110000", sha("+821011110000\x00482913"), now, db.Time(now.Add(15*time.Minute)))
		exec(`INSERT INTO residents (registry_id, name, birth_date, district, zone, household_id, children_under_19, disability, updated_at)
			VALUES ('R-1', '김영희', '1950-03-04', '21090', 'HAE-2', 'H-1', 0, FALSE, $1)`, now)
		var resident int64
		if err := d.QueryRow(ctx, `SELECT id FROM residents`).Scan(&resident); err != nil {
			t.Fatal(err)
		}
		offer := `INSERT INTO credential_offers (resident_id, code_hash, tx_code_hash, created_at, expires_at, redeemed_at) VALUES ($1, $2, $3, $4, $5, $6)`
		exec(offer, resident, sha("open offer"), sha("123456"), now, db.Time(now.Add(24*time.Hour)), nil)
		exec(offer, resident, sha("redeemed offer"), sha("654321"), now, db.Time(now.Add(24*time.Hour)), now)

		if n, err := d.Migrate(ctx); err != nil || n < 1 {
			t.Fatalf("migrate: %d %v", n, err)
		}

		type msg struct{ recipient, kind, subject, body, status string }
		rows, err := d.Read().QueryContext(ctx, `SELECT recipient, kind, subject, body, status FROM outbox ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		var got []msg
		for rows.Next() {
			var m msg
			if err := rows.Scan(&m.recipient, &m.kind, &m.subject, &m.body, &m.status); err != nil {
				t.Fatal(err)
			}
			got = append(got, m)
		}
		rows.Close()
		want := []msg{
			{"+821011110000", "login_code", "마을 인증번호", "", "recorded"},
			{"+821011110001", "login_code", "마을 인증번호", "", "failed"},
			{"+821011110002", "registration", "[마을 디지털배움터] 수업 안내", "수업 신청이 확정되었습니다.", "sent"},
		}
		if len(got) != len(want) {
			t.Fatalf("outbox %+v", got)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("outbox row %d: %+v, want %+v", i, got[i], want[i])
			}
		}
		var codes int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM login_codes`).Scan(&codes); err != nil || codes != 0 {
			t.Fatalf("%d unkeyed code hashes left (%v)", codes, err)
		}
		rows, err = d.Read().QueryContext(ctx, `SELECT tx_code_hash, expires_at, redeemed_at IS NULL FROM credential_offers ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var pin string
			var expires time.Time
			var open bool
			if err := rows.Scan(&pin, &expires, &open); err != nil {
				t.Fatal(err)
			}
			if pin != "" {
				t.Errorf("a PIN's unkeyed hash is left: %q", pin)
			}
			if open && expires.After(now) {
				t.Errorf("an offer whose PIN cannot be checked is still open until %v", expires)
			}
		}
	})
}
