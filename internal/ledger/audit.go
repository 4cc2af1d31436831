package ledger

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"

	"github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/compact"
	"golang.org/x/mod/sumdb/note"

	"github.com/maeul/maeul/internal/atomicfile"
	"github.com/maeul/maeul/internal/progress"
)

// Auditor checks a running log from the outside, as anyone can: it
// downloads the checkpoint, every entry bundle and every tile, recomputes
// the tree, checks the signatures and the consistency with the checkpoint
// it verified last time, and replays the entries into totals.
type Auditor struct {
	URL       string // the log's prefix, e.g. https://maeul.example/ledger
	Log       note.Verifier
	Witnesses []note.Verifier
	Quorum    int    // cosignatures required of Witnesses
	State     string // file keeping the last verified checkpoint and leaf hashes
	HTTP      *http.Client
	Progress  io.Writer
}

// Mismatch is a disagreement the auditor found, naming the entry index
// where it starts when it concerns entries.
type Mismatch struct {
	Index int64 // -1 when it is not about one entry
	What  string
}

func (m *Mismatch) Error() string {
	if m.Index < 0 {
		return "ledger: " + m.What
	}
	return fmt.Sprintf("ledger: entry %d: %s", m.Index, m.What)
}

// Totals are what the entries imply.
type Totals struct {
	Size       uint64
	Formats    map[int]uint64             // format version → entries
	Cards      map[string]int64           // kind → cards
	Programmes map[string]*ProgrammeTotal // programme → totals
	Merchants  map[string]*MerchantTotal  // merchant pseudonym → totals
}

// ProgrammeTotal sums a programme's point movements in KRW.
type ProgrammeTotal struct {
	Budget, Credited, Spent, Refunded, Expired int64
}

// Outstanding is what citizens hold and may still spend.
func (p ProgrammeTotal) Outstanding() int64 { return p.Credited - p.Spent + p.Refunded - p.Expired }

// MerchantTotal sums a merchant's takings and settlements in KRW.
type MerchantTotal struct {
	Spent, Refunded, Settled int64
}

type auditState struct {
	Origin string `json:"origin"`
	Size   uint64 `json:"size"`
	Root   []byte `json:"root"`
	Leaves []byte `json:"leaves"` // the leaf hashes of the tree of Size
}

// Run audits the log and returns the totals, or the first *Mismatch.
func (a *Auditor) Run(ctx context.Context) (*Totals, error) {
	raw, err := a.get(ctx, "checkpoint")
	if err != nil {
		return nil, err
	}
	cp, err := a.checkpoint(raw)
	if err != nil {
		return nil, err
	}
	prev, err := a.load(cp.Origin)
	if err != nil {
		return nil, err
	}
	if cp.Size < prev.Size {
		return nil, &Mismatch{-1, fmt.Sprintf("the log shrank: checkpoint of %d entries after one of %d was verified", cp.Size, prev.Size)}
	}
	totals := &Totals{Size: cp.Size, Formats: map[int]uint64{}, Cards: map[string]int64{}, Programmes: map[string]*ProgrammeTotal{}, Merchants: map[string]*MerchantTotal{}}
	tiles := &tileChecker{a: a, ctx: ctx, size: cp.Size, levels: map[uint][]byte{}}
	r := ranges.NewEmptyRange(0)
	leaves := make([]byte, 0, cp.Size*HashSize)
	bar := progress.New(a.progress(), "ledger entries", int(cp.Size))
	defer bar.Done()
	for first := uint64(0); first < cp.Size; first += TileWidth {
		width := int(min(TileWidth, cp.Size-first))
		b, err := a.get(ctx, TilePath(-1, first/TileWidth, width))
		if err != nil {
			return nil, err
		}
		entries, err := BundleEntries(b)
		if err != nil {
			return nil, &Mismatch{int64(first), fmt.Sprintf("entry bundle %d is malformed: %v", first/TileWidth, err)}
		}
		// The tile of the same entries holds their leaf hashes as the tree
		// has them: comparing entry by entry names the first that changed,
		// went missing or moved.
		tile, err := a.get(ctx, TilePath(0, first/TileWidth, width))
		if err != nil {
			return nil, err
		}
		for i := range width {
			idx := first + uint64(i)
			if i >= len(entries) {
				return nil, &Mismatch{int64(idx), "is missing from the entry bundle"}
			}
			data := entries[i]
			leaf := hasher.HashLeaf(data)
			if len(tile) < (i+1)*HashSize || !bytes.Equal(leaf, tile[i*HashSize:(i+1)*HashSize]) {
				return nil, &Mismatch{int64(idx), "does not match the tree the log serves: it was changed, removed or moved"}
			}
			if idx == prev.Size && prev.Size > 0 {
				if err := a.consistent(r, prev, leaves); err != nil {
					return nil, err
				}
			}
			e, err := ParseEntry(data)
			if err != nil {
				return nil, &Mismatch{int64(idx), err.Error()}
			}
			totals.add(e)
			leaves = append(leaves, leaf...)
			if err := r.Append(leaf, tiles.visit); err != nil {
				return nil, err
			}
			if tiles.err != nil {
				return nil, tiles.err
			}
		}
		if len(entries) > width {
			return nil, &Mismatch{int64(first) + int64(width), "the entry bundle holds more entries than the tree"}
		}
		bar.Add(width)
	}
	if prev.Size > 0 && prev.Size == cp.Size {
		if err := a.consistent(r, prev, leaves); err != nil {
			return nil, err
		}
	}
	if err := tiles.finish(); err != nil {
		return nil, err
	}
	root := hasher.EmptyRoot()
	if cp.Size > 0 {
		if root, err = r.GetRootHash(nil); err != nil {
			return nil, err
		}
	}
	if !bytes.Equal(root, cp.Hash) {
		return nil, &Mismatch{-1, fmt.Sprintf("the entries hash to %x, the signed checkpoint says %x", root, cp.Hash)}
	}
	return totals, a.save(auditState{Origin: cp.Origin, Size: cp.Size, Root: root, Leaves: leaves})
}

// checkpoint verifies the log's signature and the witnesses' quorum.
func (a *Auditor) checkpoint(raw []byte) (*log.Checkpoint, error) {
	var body log.Checkpoint
	if _, err := body.Unmarshal(raw); err != nil {
		return nil, &Mismatch{-1, "the checkpoint is malformed: " + err.Error()}
	}
	cp, _, n, err := log.ParseCheckpoint(raw, body.Origin, a.Log, a.Witnesses...)
	if err != nil {
		return nil, &Mismatch{-1, "the checkpoint's signature does not verify: " + err.Error()}
	}
	cosigned := 0
	for _, s := range n.Sigs {
		for _, w := range a.Witnesses {
			if s.Name == w.Name() && s.Hash == w.KeyHash() {
				cosigned++
			}
		}
	}
	if cosigned < a.Quorum {
		return nil, &Mismatch{-1, fmt.Sprintf("the checkpoint has %d of the %d witness cosignatures required", cosigned, a.Quorum)}
	}
	return cp, nil
}

// consistent checks that the first prev.Size entries are the tree verified
// last time, naming the first entry that changed.
func (a *Auditor) consistent(r *compact.Range, prev auditState, leaves []byte) error {
	root, err := r.GetRootHash(nil)
	if err != nil {
		return err
	}
	if bytes.Equal(root, prev.Root) {
		return nil
	}
	for i := uint64(0); i < prev.Size; i++ {
		if !bytes.Equal(leaves[i*HashSize:(i+1)*HashSize], prev.Leaves[i*HashSize:(i+1)*HashSize]) {
			return &Mismatch{int64(i), fmt.Sprintf("differs from the entry verified before (the tree of %d entries verified last time is not a prefix of this one)", prev.Size)}
		}
	}
	return &Mismatch{-1, fmt.Sprintf("the tree of %d entries verified last time is not a prefix of this one", prev.Size)}
}

// add counts an entry of either format: a version 2 entry names its
// person by a commitment no other entry shares, but the totals never
// needed the person, only the programme, the merchant and the amount.
func (t *Totals) add(e Entry) {
	t.Formats[e.Format()]++
	if strings.HasPrefix(e.Kind, "card.") {
		t.Cards[e.Kind] += e.Count
		return
	}
	p, m := totalOf(t.Programmes, e.Programme), totalOf(t.Merchants, e.Merchant)
	switch e.Kind {
	case BudgetSet:
		p.Budget = e.Amount
	case PointsCredited:
		p.Credited += e.Amount
	case PointsSpent:
		p.Spent += e.Amount
		m.Spent += e.Amount
	case PointsRefunded:
		p.Refunded += e.Amount
		m.Refunded += e.Amount
	case PointsExpired:
		p.Expired += e.Amount
	case MerchantSettled:
		m.Settled += e.Amount
	}
}

// Print writes the totals for people to compare with published figures.
func (t *Totals) Print(w io.Writer) {
	fmt.Fprintf(w, "entries: %d (format 1: %d, format 2: %d)\n", t.Size, t.Formats[V1], t.Formats[V2])
	for _, k := range []string{CardIssued, CardSuspended, CardReinstated, CardRevoked} {
		fmt.Fprintf(w, "  %-18s %d cards\n", k, t.Cards[k])
	}
	for _, name := range sortedKeys(t.Programmes) {
		p := t.Programmes[name]
		fmt.Fprintf(w, "programme %s: budget %d, credited %d, spent %d, refunded %d, expired %d, outstanding %d KRW\n",
			name, p.Budget, p.Credited, p.Spent, p.Refunded, p.Expired, p.Outstanding())
	}
	for _, name := range sortedKeys(t.Merchants) {
		m := t.Merchants[name]
		fmt.Fprintf(w, "merchant %s: takings %d, refunded %d, settled %d, unsettled %d KRW\n", name, m.Spent, m.Refunded, m.Settled, m.Spent-m.Refunded-m.Settled)
	}
}

// totalOf is the running total of name in totals, added when new; an entry
// that names none (name "") counts in a total that is not kept.
func totalOf[T any](totals map[string]*T, name string) *T {
	if name == "" {
		return new(T)
	}
	t := totals[name]
	if t == nil {
		t = new(T)
		totals[name] = t
	}
	return t
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (a *Auditor) progress() io.Writer {
	if a.Progress == nil {
		return io.Discard
	}
	return a.Progress
}

func (a *Auditor) get(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(a.URL, "/")+"/"+path, nil)
	if err != nil {
		return nil, err
	}
	c := a.HTTP
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("ledger: GET %s: %s", path, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 1<<24))
}

func (a *Auditor) load(origin string) (auditState, error) {
	var s auditState
	if a.State == "" {
		return s, nil
	}
	raw, err := os.ReadFile(a.State)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, fmt.Errorf("ledger: state file %s: %w", a.State, err)
	}
	if s.Origin != origin {
		return s, fmt.Errorf("ledger: state file %s is of log %q, not %q", a.State, s.Origin, origin)
	}
	if uint64(len(s.Leaves)) != s.Size*HashSize {
		return s, fmt.Errorf("ledger: state file %s is damaged", a.State)
	}
	return s, nil
}

func (a *Auditor) save(s auditState) error {
	if a.State == "" {
		return nil
	}
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return atomicfile.Write(a.State, raw, 0o600)
}

// tileChecker compares the tiles the log serves with the hashes the
// auditor computes, tile by tile as each is complete.
type tileChecker struct {
	a      *Auditor
	ctx    context.Context
	size   uint64
	levels map[uint][]byte // tile level → hashes of its current tile
	err    error
}

// visit keeps the hashes of tile levels above the leaves: the leaf tiles
// are compared bundle by bundle.
func (t *tileChecker) visit(id compact.NodeID, hash []byte) {
	if id.Level%8 != 0 || id.Level == 0 || t.err != nil {
		return
	}
	l := id.Level / 8
	t.levels[l] = append(t.levels[l], hash...)
	if len(t.levels[l]) == TileWidth*HashSize {
		t.err = t.compare(l, id.Index/TileWidth, t.levels[l])
		t.levels[l] = t.levels[l][:0]
	}
}

// finish compares the partial tiles at the tree's right edge.
func (t *tileChecker) finish() error {
	if t.err != nil {
		return t.err
	}
	for l, hs := range t.levels {
		if w := len(hs) / HashSize; w > 0 {
			nodes := t.size >> (8 * l)
			if err := t.compare(l, nodes/TileWidth, hs); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t *tileChecker) compare(level uint, index uint64, want []byte) error {
	got, err := t.a.get(t.ctx, TilePath(int(level), index, len(want)/HashSize))
	if err != nil {
		return err
	}
	if bytes.Equal(got, want) {
		return nil
	}
	for i := 0; i < len(want)/HashSize; i++ {
		if i*HashSize >= len(got) || !bytes.Equal(got[i*HashSize:(i+1)*HashSize], want[i*HashSize:(i+1)*HashSize]) {
			first := (index*TileWidth + uint64(i)) << (8 * level) // the node's first leaf
			return &Mismatch{int64(first), fmt.Sprintf("does not match the tree the log serves (tile %s, hash %d)", TilePath(int(level), index, len(want)/HashSize), i)}
		}
	}
	return &Mismatch{-1, "tile " + TilePath(int(level), index, len(want)/HashSize) + " is longer than the tree"}
}
