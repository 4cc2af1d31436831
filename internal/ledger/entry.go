package ledger

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Kinds of entries.
const (
	CardIssued      = "card.issued"
	CardSuspended   = "card.suspended"
	CardReinstated  = "card.reinstated"
	CardRevoked     = "card.revoked"
	PointsCredited  = "points.credited"
	PointsSpent     = "points.spent"
	PointsRefunded  = "points.refunded"
	PointsExpired   = "points.expired"
	MerchantSettled = "merchant.settled"
	BudgetSet       = "programme.budget"
)

var kinds = map[string]bool{
	CardIssued: true, CardSuspended: true, CardReinstated: true, CardRevoked: true,
	PointsCredited: true, PointsSpent: true, PointsRefunded: true, PointsExpired: true,
	MerchantSettled: true, BudgetSet: true,
}

// AboutAPerson reports whether entries of kind record something of one
// person (their cards, their points), and so name them by a commitment.
func AboutAPerson(kind string) bool {
	return strings.HasPrefix(kind, "card.") || strings.HasPrefix(kind, "points.")
}

// Formats of entries. Version 1, the first, has no "v" field: its entries
// name a person by a stable pseudonym, with the exact second and the
// caller's ref. Version 2 names a person by a fresh commitment per entry,
// carries a random ref on an entry about a person, and times on the hour.
// AppendTx writes version 2; both verify, and replay into the same totals.
const (
	V1 = 1
	V2 = 2
)

// Hour is the precision of a version 2 entry's time, in seconds.
const Hour = 3600

// MaxEntrySize is the largest entry: tlog-tiles entry bundles prefix each
// entry with a 16-bit length.
const MaxEntrySize = 1<<16 - 1

// Entry is one record of the ledger. It carries no personal data in clear:
// a version 2 entry names a person only by a commitment no other entry
// shares (Subject), and a merchant by its keyed pseudonym; amounts are
// whole KRW.
type Entry struct {
	Version   int    `json:"v,omitempty"` // 0 for version 1, which has no "v"; else 2
	Kind      string `json:"kind"`
	At        int64  `json:"at"` // Unix seconds; version 2: a whole hour
	Subject   string `json:"subject,omitempty"`
	Programme string `json:"programme,omitempty"`
	Merchant  string `json:"merchant,omitempty"`
	Amount    int64  `json:"amount,omitempty"`
	Count     int64  `json:"count,omitempty"`
	Ref       string `json:"ref,omitempty"` // version 2, about a person: random; else e.g. a settlement's day

	// Owner is, in an entry to append about a person, whom it is about,
	// as Log.Owner names them. It is never written: AppendTx puts a fresh
	// commitment to it in Subject and keeps the opening privately.
	Owner string `json:"-"`
}

// Format is the entry's format version: V1 or V2.
func (e Entry) Format() int {
	if e.Version == 0 {
		return V1
	}
	return e.Version
}

// Marshal is the entry as stored and hashed: compact JSON with the fields
// in a fixed order.
func (e Entry) Marshal() ([]byte, error) {
	if err := e.validate(); err != nil {
		return nil, err
	}
	b, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	if len(b) > MaxEntrySize {
		return nil, fmt.Errorf("ledger: entry of %d bytes", len(b))
	}
	return b, nil
}

func (e Entry) validate() error {
	switch {
	case !kinds[e.Kind]:
		return fmt.Errorf("ledger: unknown entry kind %q", e.Kind)
	case e.At <= 0:
		return errors.New("ledger: entry without a time")
	case e.Amount < 0 || e.Count < 0:
		return errors.New("ledger: negative amount or count")
	case e.Owner != "":
		return errors.New("ledger: an entry with an owner is written only by AppendTx, which seals it")
	case e.Version == 0:
		return nil // version 1, as it was written
	case e.Version != V2:
		return fmt.Errorf("ledger: unknown entry format %d", e.Version)
	case e.At%Hour != 0:
		return errors.New("ledger: a version 2 entry's time is a whole hour")
	case !AboutAPerson(e.Kind):
		if e.Subject != "" {
			return fmt.Errorf("ledger: a %s entry names nobody", e.Kind)
		}
		return nil
	case !isCommitment(e.Subject):
		return fmt.Errorf("ledger: a version 2 %s entry names its person by a commitment, not %q", e.Kind, e.Subject)
	case !isRef(e.Ref):
		return fmt.Errorf("ledger: a version 2 %s entry's ref is random, not %q", e.Kind, e.Ref)
	}
	return nil
}

// The shapes of what a version 2 entry about a person holds: "c-" and the
// 32-byte commitment, "e-" and the 12 random bytes of its ref, both
// unpadded base64url; the opening's owner is "o-" and 16 bytes.
const (
	commitmentPrefix, commitmentSize = "c-", 32
	refPrefix, refSize               = "e-", 12
	ownerPrefix, ownerSize           = "o-", 16
	saltSize                         = 16
)

func isCommitment(s string) bool { return isEncoded(s, commitmentPrefix, commitmentSize) }
func isRef(s string) bool        { return isEncoded(s, refPrefix, refSize) }
func isOwner(s string) bool      { return isEncoded(s, ownerPrefix, ownerSize) }

// isEncoded reports whether s is prefix and n bytes in unpadded base64url,
// written as base64url writes them (so that one value has one spelling).
func isEncoded(s, prefix string, n int) bool {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok || len(rest) != base64.RawURLEncoding.EncodedLen(n) || n > 32 {
		return false
	}
	var b [32]byte
	m, err := base64.RawURLEncoding.Strict().Decode(b[:], []byte(rest))
	return err == nil && m == n
}

// ParseEntry reads a stored entry of either format, refusing anything that
// Marshal would not have written byte for byte: a verifier must be able to
// trust that the hashed bytes mean what they say.
func ParseEntry(data []byte) (Entry, error) {
	var e Entry
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(&e); err != nil {
		return e, fmt.Errorf("ledger: entry is not JSON: %w", err)
	}
	again, err := e.Marshal()
	if err != nil {
		return e, err
	}
	if !bytes.Equal(again, data) {
		return e, errors.New("ledger: entry is not in canonical form")
	}
	return e, nil
}
