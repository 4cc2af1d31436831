package reserve

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	mrand "math/rand/v2"
	"strconv"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
)

// NewSeed reads a draw's 32-byte seed from r (crypto/rand when r is nil)
// and gives it with its hex text, the form in which it is stored.
func NewSeed(r io.Reader) ([32]byte, string, error) {
	if r == nil {
		r = rand.Reader
	}
	var seed [32]byte
	if _, err := io.ReadFull(r, seed[:]); err != nil {
		return seed, "", err
	}
	return seed, hex.EncodeToString(seed[:]), nil
}

// DrawOrder is the drawn order of n applicants (listed in order of
// application) for a seed: a permutation of 0..n-1, by Fisher–Yates driven
// by ChaCha8. It never changes: stored seeds replay their draws.
func DrawOrder(seed [32]byte, n int) []int {
	r := mrand.New(mrand.NewChaCha8(seed))
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	for i := n - 1; i > 0; i-- {
		j := r.IntN(i + 1)
		order[i], order[j] = order[j], order[i]
	}
	return order
}

// Lot is what a draw made of one applicant.
type Lot struct {
	Index int  // the applicant's index in the list drawn among
	Pos   int  // its place in the drawn order, from 1
	Won   bool // its places were taken
	Wait  int  // for those not won, its place on the waitlist, from 1
}

// Limit caps what a draw gives a user: Max wins at the most, counting
// Prior (wins elsewhere that still stand). The zero Limit caps nothing.
type Limit struct {
	Max   int
	Prior map[int64]int
}

// Draw allots a pool's places among applicants (listed in order of
// application) in the order DrawOrder gives for seed: each in turn takes
// its places if they fit and its user is under lim, the rest wait. The
// waitlist holds those whose places did not fit, in drawn order, then
// those over the limit, in drawn order. Draw returns the lots in drawn
// order; the caller, holding the pool's row lock, stores each claim's new
// status and place, tells its holder, and stores the seed.
func (e *Engine) Draw(ctx context.Context, tx *sql.Tx, poolID int64, seed [32]byte, applicants []Entry, lim Limit) ([]Lot, error) {
	wins := make(map[int64]int, len(lim.Prior))
	for u, n := range lim.Prior {
		wins[u] = n
	}
	lots := make([]Lot, len(applicants))
	var waiting, over []int
	for pos, idx := range DrawOrder(seed, len(applicants)) {
		a := applicants[idx]
		lots[pos] = Lot{Index: idx, Pos: pos + 1}
		if lim.Max > 0 && wins[a.User] >= lim.Max {
			over = append(over, pos)
			continue
		}
		ok, err := e.Take(ctx, tx, poolID, a.Size)
		if err != nil {
			return nil, err
		}
		if !ok {
			waiting = append(waiting, pos)
			continue
		}
		wins[a.User]++
		lots[pos].Won = true
	}
	for i, pos := range append(waiting, over...) {
		lots[pos].Wait = i + 1
	}
	return lots, nil
}

// Due selects the pools whose draws are due: Where is a condition on the
// pool table with $N arguments Args, Order their order ("id" when empty),
// Limit how many at the most (0: all).
type Due struct {
	Where string
	Args  []any
	Order string
	Limit int
}

// DrawDue draws, with draw, every pool whose draw is due, in order. Each
// draw is its own transaction; a pool another instance drew first (draw
// answers errs.Conflict) is passed over. It says how many it drew, for the
// app's job loop.
func (e *Engine) DrawDue(ctx context.Context, due Due, draw func(ctx context.Context, poolID int64) error) (int, error) {
	q := `SELECT id FROM ` + e.spec.Pool + ` WHERE ` + due.Where + ` ORDER BY ` + cmp.Or(due.Order, "id")
	if due.Limit > 0 {
		q += ` LIMIT ` + strconv.Itoa(due.Limit)
	}
	rows, err := e.db.Query(ctx, q, due.Args...)
	ids, err := db.Collect(rows, err, func(sc db.Scanner) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		err := draw(ctx, id)
		switch {
		case err == nil:
			n++
		case errs.CodeOf(err) != errs.Conflict:
			return n, err
		}
	}
	return n, nil
}
