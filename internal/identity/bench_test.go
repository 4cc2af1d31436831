package identity

import (
	"context"
	"testing"

	"github.com/maeul/maeul/internal/db/dbtest"
)

// BenchmarkIssueCards issues batches of five cards (the wallet's batch), the
// whole path: registry read, key, five SD-JWT VCs, five status entries, one
// transaction on SQLite. ns/op is per batch; cards/s is reported.
func BenchmarkIssueCards(b *testing.B) {
	d := dbtest.SQLite(b)
	f := newCardFixture(b, d)
	_, pub := holderKeys(5)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := f.cards.Issue(ctx, f.resident.ID, testIssuer, pub); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(5*b.N)/b.Elapsed().Seconds(), "cards/s")
}
