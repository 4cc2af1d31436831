package ledger

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
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

// MaxEntrySize is the largest entry: tlog-tiles entry bundles prefix each
// entry with a 16-bit length.
const MaxEntrySize = 1<<16 - 1

// Entry is one record of the ledger. It carries no personal data in clear:
// Subject and Merchant are keyed pseudonyms, amounts are whole KRW.
type Entry struct {
	Kind      string `json:"kind"`
	At        int64  `json:"at"` // Unix seconds
	Subject   string `json:"subject,omitempty"`
	Programme string `json:"programme,omitempty"`
	Merchant  string `json:"merchant,omitempty"`
	Amount    int64  `json:"amount,omitempty"`
	Count     int64  `json:"count,omitempty"`
	Ref       string `json:"ref,omitempty"` // what the entry refers to, e.g. a batch or a payment
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
	}
	return nil
}

// ParseEntry reads a stored entry, refusing anything that Marshal would not
// have written byte for byte: a verifier must be able to trust that the
// hashed bytes mean what they say.
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
