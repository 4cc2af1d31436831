package identity

import (
	"context"
	"crypto"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"strconv"
	"time"

	"github.com/maeul/maeul/internal/audit"
	"github.com/maeul/maeul/internal/codehash"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/ledger"
	"github.com/maeul/maeul/internal/sdjwt"
	"github.com/maeul/maeul/internal/statuslist"
)

// CardType is the vct of the citizen card.
const CardType = "urn:maeul:busan:citizen-card:1"

// CardLifetime is the longest a card is valid; it ends sooner when the
// holder's age crosses a line the card answers questions about.
const CardLifetime = 365 * 24 * time.Hour

// Age lines: age_equal_or_over answers these, and the brackets start at
// the others.
var (
	ageThresholds = []int{14, 19, 65}
	bracketStarts = []int{0, 14, 19, 35, 50, 65, 75}
)

// ageOn is the age in whole years on day now.
func ageOn(birth, now time.Time) int {
	y := now.Year() - birth.Year()
	if now.Month() < birth.Month() || (now.Month() == birth.Month() && now.Day() < birth.Day()) {
		y--
	}
	return y
}

// AgeBracket names the bracket of an age, e.g. "19-34" or "75+".
func AgeBracket(age int) string {
	for i := len(bracketStarts) - 1; i >= 0; i-- {
		if age >= bracketStarts[i] {
			if i == len(bracketStarts)-1 {
				return strconv.Itoa(bracketStarts[i]) + "+"
			}
			return strconv.Itoa(bracketStarts[i]) + "-" + strconv.Itoa(bracketStarts[i+1]-1)
		}
	}
	return "0-13"
}

// cardExpiry is the end of a card issued now: a year, or the birthday on
// which one of its derived age claims would change, whichever comes first.
func cardExpiry(birth, now time.Time) time.Time {
	exp := now.Add(CardLifetime)
	age := ageOn(birth, now)
	for _, line := range append(append([]int{}, ageThresholds...), bracketStarts...) {
		if line > age {
			if d := birth.AddDate(line, 0, 0); d.Before(exp) {
				exp = d
			}
		}
	}
	return exp
}

// CardClaims are the card's claims for r on day now: every personal claim
// selectively disclosable, including the derived age claims, which answer
// "over 19?" without revealing the birth date.
func CardClaims(r Resident, now time.Time) map[string]any {
	age := ageOn(r.BirthDate, now)
	over := map[string]any{}
	for _, t := range ageThresholds {
		over[strconv.Itoa(t)] = sdjwt.SD(age >= t)
	}
	return map[string]any{
		"name":      sdjwt.SD(r.Name),
		"birthdate": sdjwt.SD(r.BirthDate.Format(time.DateOnly)),
		"address": sdjwt.SD(map[string]any{
			"district":    sdjwt.SD(r.District),
			"living_zone": sdjwt.SD(r.Zone),
		}),
		"household_id":      sdjwt.SD(r.HouseholdID),
		"children_under_19": sdjwt.SD(r.ChildrenUnder19),
		"disability":        sdjwt.SD(r.Disability),
		"age_equal_or_over": over,
		"age_bracket":       sdjwt.SD(AgeBracket(age)),
	}
}

// Card statuses, as the status list records them.
const (
	StatusValid     = "valid"
	StatusSuspended = "suspended"
	StatusRevoked   = "revoked"
)

var listStatus = map[string]statuslist.Status{
	StatusValid: statuslist.Valid, StatusSuspended: statuslist.Suspended, StatusRevoked: statuslist.Invalid,
}

// Cards issues citizen cards and keeps their status. Every issuance and
// status change is on the ledger, in the same transaction.
type Cards struct {
	db       *db.DB
	keys     *Keys
	registry *Registry
	ledger   *ledger.Log
	// pins is the key of the offers' PINs' hashes, derived from the
	// platform's secret that seals the issuer's keys.
	pins *codehash.Key
	Now  func() time.Time
}

// NewCards returns the card service.
func NewCards(d *db.DB, keys *Keys, registry *Registry, l *ledger.Log) *Cards {
	var secret []byte
	if keys != nil {
		secret = keys.secret
	}
	return &Cards{db: d, keys: keys, registry: registry, ledger: l, pins: codehash.New(secret), Now: time.Now}
}

// ledgerKinds are the ledger's names of the card statuses set.
var ledgerKinds = map[string]string{
	StatusValid: ledger.CardReinstated, StatusSuspended: ledger.CardSuspended, StatusRevoked: ledger.CardRevoked,
}

// onLedger records a change of a resident's cards on the ledger, and the
// entry's number beside it for the citizen's history of their card. The
// ledger seals the resident into a commitment of this entry's own, so
// that nobody can follow one person's cards from entry to entry; the
// receipt the citizen downloads shows it is theirs.
func (c *Cards) onLedger(ctx context.Context, tx *sql.Tx, kind string, r Resident, n int, at time.Time) error {
	seqs, err := c.ledger.AppendTx(ctx, tx, ledger.Entry{Kind: kind, At: at.Unix(), Owner: c.ledger.Owner("resident", r.RegistryID),
		Count: int64(n)})
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO card_events (resident_id, kind, cards, ledger_seq, at) VALUES ($1, $2, $3, $4, $5)`,
		r.ID, kind, n, seqs[0], db.Time(at))
	return err
}

// CardEvent is one change of a resident's cards, with its ledger entry.
type CardEvent struct {
	Kind      string // a ledger kind: card.issued, card.suspended, ...
	Cards     int
	LedgerSeq int64
	At        time.Time
}

// Events lists what happened to a resident's cards, newest first.
func (c *Cards) Events(ctx context.Context, residentID int64) ([]CardEvent, error) {
	rows, err := c.db.Query(ctx, `SELECT kind, cards, ledger_seq, at FROM card_events WHERE resident_id = $1 ORDER BY id DESC`, residentID)
	return db.Collect(rows, err, func(s db.Scanner) (CardEvent, error) {
		var e CardEvent
		err := s.Scan(&e.Kind, &e.Cards, &e.LedgerSeq, &e.At)
		return e, err
	})
}

// Receipt is the ledger receipt of one of a resident's card events; the
// event must be theirs.
func (c *Cards) Receipt(ctx context.Context, residentID, seq int64) (ledger.Receipt, error) {
	var n int
	if err := c.db.QueryRow(ctx, `SELECT COUNT(*) FROM card_events WHERE resident_id = $1 AND ledger_seq = $2`, residentID, seq).Scan(&n); err != nil {
		return ledger.Receipt{}, err
	}
	if n == 0 {
		return ledger.Receipt{}, errs.New(errs.NotFound, "ledger.entry_not_found")
	}
	return c.ledger.ReceiptOf(ctx, seq)
}

// listSize is the number of entries of one status list: 2 bits each, so a
// full list is 32 KiB before compression.
const listSize = 1 << 17

// Issue signs a batch of cards for a resident, one per holder key, each
// with its own salts and its own status entry, so that two verifiers shown
// two cards of the batch cannot link them. issuerURL is the `iss`.
func (c *Cards) Issue(ctx context.Context, residentID int64, issuerURL string, holders []crypto.PublicKey) ([]string, error) {
	if len(holders) == 0 || len(holders) > 20 {
		return nil, errs.New(errs.Invalid, "identity.batch_invalid")
	}
	r, err := c.registry.Get(ctx, residentID)
	if err != nil {
		return nil, err
	}
	// A card goes only to someone whose identity was checked, recently.
	proof, err := c.registry.LatestProof(ctx, residentID)
	if err != nil {
		return nil, err
	}
	if c.Now().Sub(proof.At) > ProofValidity {
		return nil, errs.New(errs.Conflict, "identity.not_proofed")
	}
	signer, err := c.keys.Active(ctx)
	if err != nil {
		return nil, err
	}
	return db.TxValue(ctx, c.db, func(tx *sql.Tx) ([]string, error) { return c.issueTx(ctx, tx, signer, r, issuerURL, holders) })
}

// issueTx signs the cards inside tx, so that a caller can make issuance part
// of a larger change (spending an access token and its nonces). The signer
// is fetched before the transaction: on SQLite the transaction holds the
// only write connection, which creating a first key would need.
func (c *Cards) issueTx(ctx context.Context, tx *sql.Tx, signer Signer, r Resident, issuerURL string, holders []crypto.PublicKey) ([]string, error) {
	now := c.Now()
	exp := cardExpiry(r.BirthDate, now)
	batch := newBatchID()
	is := &sdjwt.Issuer{Key: signer.Key, Header: map[string]any{"typ": sdjwt.TypeVC, "kid": signer.Kid}, Decoys: 3}
	var cards []string
	for _, h := range holders {
		list, idx, err := allocate(ctx, tx, now)
		if err != nil {
			return nil, err
		}
		claims := CardClaims(r, now)
		claims["iss"] = issuerURL
		claims["vct"] = CardType
		claims["iat"] = now.Unix()
		claims["exp"] = exp.Unix()
		claims["status"] = map[string]any{"status_list": map[string]any{"idx": idx, "uri": issuerURL + "/status/" + list}}
		card, err := is.Issue(claims, h)
		if err != nil {
			return nil, errs.New(errs.Invalid, "identity.holder_key_invalid")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO credentials (resident_id, batch, list_id, list_index, kid, issued_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, r.ID, batch, list, idx, signer.Kid, db.Time(now), db.Time(exp)); err != nil {
			return nil, err
		}
		cards = append(cards, card)
	}
	if err := c.onLedger(ctx, tx, ledger.CardIssued, r, len(cards), now); err != nil {
		return nil, err
	}
	return cards, audit.Record(ctx, tx, audit.Entry{Action: "card.issue", SubjectType: "resident", SubjectID: r.ID, Detail: "batch=" + batch})
}

func newBatchID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// allocate takes the next free entry of the newest status list, opening a
// new list when it is full. The UPDATE takes the list's row lock, so two
// issuances never get the same entry.
func allocate(ctx context.Context, tx *sql.Tx, now time.Time) (string, int, error) {
	for {
		var list string
		var next int
		err := tx.QueryRowContext(ctx, `UPDATE status_lists SET next_index = next_index + 1
			WHERE id = (SELECT id FROM status_lists ORDER BY LENGTH(id) DESC, id DESC LIMIT 1) AND next_index < size
			RETURNING id, next_index`).Scan(&list, &next)
		if err == nil {
			return list, next - 1, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return "", 0, err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM status_lists`).Scan(&n); err != nil {
			return "", 0, err
		}
		l, _ := statuslist.New(listSize, 2)
		if _, err := tx.ExecContext(ctx, `INSERT INTO status_lists (id, bits, size, packed, updated_at) VALUES ($1, 2, $2, $3, $4)`,
			strconv.Itoa(n+1), listSize, base64.StdEncoding.EncodeToString(l.Bytes()), db.Time(now)); err != nil {
			return "", 0, err
		}
	}
}

// SetStatus suspends, reinstates or revokes every card of a resident: the
// status lists change in the same transaction, so the next fetch of a list
// shows it. Revocation is final.
func (c *Cards) SetStatus(ctx context.Context, residentID int64, status string) (int, error) {
	want, ok := listStatus[status]
	if !ok {
		return 0, errs.Field("status", "identity.status_invalid")
	}
	r, err := c.registry.Get(ctx, residentID)
	if err != nil {
		return 0, err
	}
	n := 0
	err = c.db.Tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, list_id, list_index FROM credentials WHERE resident_id = $1 AND status <> 'revoked'`, residentID)
		if err != nil {
			return err
		}
		type entry struct {
			id   int64
			list string
			idx  int
		}
		var es []entry
		for rows.Next() {
			var e entry
			if err := rows.Scan(&e.id, &e.list, &e.idx); err != nil {
				rows.Close()
				return err
			}
			es = append(es, e)
		}
		rows.Close()
		if len(es) == 0 {
			return errs.New(errs.Conflict, "identity.no_active_cards")
		}
		lists := map[string]*statuslist.List{}
		for _, e := range es {
			l, ok := lists[e.list]
			if !ok {
				if l, err = lockList(ctx, tx, e.list); err != nil {
					return err
				}
				lists[e.list] = l
			}
			if err := l.Set(e.idx, want); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE credentials SET status = $1 WHERE id = $2`, status, e.id); err != nil {
				return err
			}
			n++
		}
		for id, l := range lists {
			if _, err := tx.ExecContext(ctx, `UPDATE status_lists SET packed = $1, updated_at = $2 WHERE id = $3`,
				base64.StdEncoding.EncodeToString(l.Bytes()), db.Time(c.Now()), id); err != nil {
				return err
			}
		}
		if err := c.onLedger(ctx, tx, ledgerKinds[status], r, n, c.Now()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: "card." + status, SubjectType: "resident", SubjectID: residentID, Detail: "cards=" + strconv.Itoa(n)})
	})
	return n, err
}

// lockList reads a status list under its row lock.
func lockList(ctx context.Context, q db.Querier, id string) (*statuslist.List, error) {
	return scanList(q.QueryRowContext(ctx, `UPDATE status_lists SET bits = bits WHERE id = $1 RETURNING bits, packed`, id))
}

// readList reads a status list as it stands.
func (c *Cards) readList(ctx context.Context, id string) (*statuslist.List, error) {
	return scanList(c.db.QueryRow(ctx, `SELECT bits, packed FROM status_lists WHERE id = $1`, id))
}

func scanList(row *sql.Row) (*statuslist.List, error) {
	var bits int
	var packed string
	err := row.Scan(&bits, &packed)
	if err != nil {
		return nil, db.NotFound(err, "identity.status_list_not_found")
	}
	raw, err := base64.StdEncoding.DecodeString(packed)
	if err != nil {
		return nil, err
	}
	return statuslist.FromBytes(bits, raw)
}

// StatusListToken returns the signed Status List Token of list id, valid
// for ttl: verifiers cache it that long at most.
func (c *Cards) StatusListToken(ctx context.Context, id, issuerURL string, ttl time.Duration) (string, error) {
	l, err := c.readList(ctx, id)
	if err != nil {
		return "", err
	}
	signer, err := c.keys.Active(ctx)
	if err != nil {
		return "", err
	}
	now := c.Now()
	return statuslist.Sign(statuslist.Token{Issuer: issuerURL, Subject: issuerURL + "/status/" + id, IssuedAt: now,
		ExpiresAt: now.Add(24 * time.Hour), TTL: ttl, List: l}, signer.Key, signer.Kid)
}

func itoa(n int) string { return strconv.Itoa(n) }

// CardCounts counts a resident's cards by status.
func (c *Cards) CardCounts(ctx context.Context, residentID int64) (map[string]int, error) {
	rows, err := c.db.Query(ctx, `SELECT status, COUNT(*) FROM credentials WHERE resident_id = $1 GROUP BY status`, residentID)
	return db.CollectMap(rows, err, map[string]int{})
}

// Where a citizen stands with their card, as the personal home tells it.
const (
	HoldingNone      = "none"      // no identity check yet: check first, then get the card
	HoldingReady     = "ready"     // checked, no card yet: get it into the wallet
	HoldingIssued    = "issued"    // in the wallet and valid
	HoldingSuspended = "suspended" // suspended (a lost phone): the desk reinstates it
	HoldingRevoked   = "revoked"   // revoked: a new card is needed
)

// HoldingOf tells where the signed-in citizen userID stands with their
// card, and the resident they proved to be (0 before the check).
func (c *Cards) HoldingOf(ctx context.Context, userID int64) (state string, residentID int64, err error) {
	res, err := c.registry.ResidentOf(ctx, userID)
	if errs.CodeOf(err) == errs.NotFound {
		return HoldingNone, 0, nil
	}
	if err != nil {
		return "", 0, err
	}
	counts, err := c.CardCounts(ctx, res.ID)
	if err != nil {
		return "", res.ID, err
	}
	switch {
	case counts[StatusValid] > 0:
		return HoldingIssued, res.ID, nil
	case counts[StatusSuspended] > 0:
		return HoldingSuspended, res.ID, nil
	case counts[StatusRevoked] > 0:
		return HoldingRevoked, res.ID, nil
	}
	return HoldingReady, res.ID, nil
}
