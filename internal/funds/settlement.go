package funds

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/ledger"
	"github.com/maeul/maeul/internal/sheet"
)

// SettlementLine is what a merchant took in points of one programme on one
// day (city time) and what the bank transfers for it.
type SettlementLine struct {
	Day            string // YYYY-MM-DD
	MerchantID     int64
	Merchant       string
	BusinessNumber string // ten digits
	Programme      string // slug
	Payments       int64  // payments made that day
	Paid           int64  // KRW of those payments
	Refunded       int64  // KRW refunded that day, of any day's payments
	Carried        int64  // KRW earlier days left owing (zero or negative)
	Net            int64  // KRW transferred: max(0, Paid - Refunded + Carried)
}

// owing is what the line leaves for the next day to take back: zero, or
// the refunds its takings did not cover.
func (l SettlementLine) owing() int64 { return l.Paid - l.Refunded + l.Carried - l.Net }

// DayBounds are the first instant of a day in the city's time zone and the
// first of the next.
func DayBounds(day string) (time.Time, time.Time, error) {
	start, err := time.ParseInLocation(time.DateOnly, day, i18n.Zone)
	if err != nil {
		return time.Time{}, time.Time{}, errs.Field("day", "funds.date_invalid")
	}
	return start, start.AddDate(0, 0, 1), nil
}

// Day is the city's calendar day of t.
func Day(t time.Time) string { return t.In(i18n.Zone).Format(time.DateOnly) }

// figures are a day's takings by merchant and programme, as some source
// tells them.
type figures struct {
	Payments, Paid, Refunded int64
}

type pair struct {
	merchant  int64
	programme int64
}

// dayFigures reads a day's payments and refunds from the database.
func dayFigures(ctx context.Context, q db.Querier, start, end time.Time) (map[pair]*figures, error) {
	out := map[pair]*figures{}
	at := func(k pair) *figures {
		if out[k] == nil {
			out[k] = &figures{}
		}
		return out[k]
	}
	rows, err := q.QueryContext(ctx, `SELECT pay.merchant_id, a.programme_id, COUNT(*), SUM(pay.amount) FROM payments pay
		JOIN point_accounts a ON a.id = pay.account_id WHERE pay.paid_at >= $1 AND pay.paid_at < $2
		GROUP BY pay.merchant_id, a.programme_id`, db.Time(start), db.Time(end))
	err = db.Each(rows, err, func(s db.Scanner) error {
		var k pair
		var n, sum int64
		if err := s.Scan(&k.merchant, &k.programme, &n, &sum); err != nil {
			return err
		}
		f := at(k)
		f.Payments, f.Paid = n, sum
		return nil
	})
	if err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT pay.merchant_id, a.programme_id, SUM(m.amount) FROM point_movements m
		JOIN payments pay ON pay.id = m.payment_id JOIN point_accounts a ON a.id = m.account_id
		WHERE m.kind = $1 AND m.at >= $2 AND m.at < $3 GROUP BY pay.merchant_id, a.programme_id`, Refunded, db.Time(start), db.Time(end))
	err = db.Each(rows, err, func(s db.Scanner) error {
		var k pair
		var sum int64
		if err := s.Scan(&k.merchant, &k.programme, &sum); err != nil {
			return err
		}
		at(k).Refunded = sum
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SettleDay settles a day that has ended: for every merchant that took or
// refunded points that day, one settlement with a line per programme and,
// in the same transaction, one merchant.settled ledger entry per line. A
// merchant already settled for the day is left as it is, so running it
// again settles nothing twice. It returns the merchants settled now and
// the day's whole settlement.
func (s *Service) SettleDay(ctx context.Context, day string) (int, []SettlementLine, error) {
	start, end, err := DayBounds(day)
	if err != nil {
		return 0, nil, err
	}
	now := db.Time(s.Now())
	if now.Before(end) {
		return 0, nil, errs.New(errs.Conflict, "funds.settlement_day_open", day)
	}
	settled := 0
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		day, err := dayFigures(ctx, tx, start, end)
		if err != nil {
			return err
		}
		byMerchant := map[int64][]pair{}
		for k := range day {
			byMerchant[k.merchant] = append(byMerchant[k.merchant], k)
		}
		merchants := make([]int64, 0, len(byMerchant))
		for m := range byMerchant {
			merchants = append(merchants, m)
		}
		sort.Slice(merchants, func(i, j int) bool { return merchants[i] < merchants[j] })
		slugs := map[int64]string{}
		for _, m := range merchants {
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO settlements (merchant_id, day, settled_at) VALUES ($1, $2, $3)
				ON CONFLICT (merchant_id, day) DO NOTHING RETURNING id`, m, Day(start), now).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				continue // settled before
			}
			if err != nil {
				return err
			}
			settled++
			keys := byMerchant[m]
			sort.Slice(keys, func(i, j int) bool { return keys[i].programme < keys[j].programme })
			for _, k := range keys {
				f := day[k]
				l := SettlementLine{Payments: f.Payments, Paid: f.Paid, Refunded: f.Refunded}
				if l.Carried, err = carriedTx(ctx, tx, k, Day(start)); err != nil {
					return err
				}
				l.Net = max(0, l.Paid-l.Refunded+l.Carried)
				if slugs[k.programme] == "" {
					var slug string
					if err := tx.QueryRowContext(ctx, `SELECT slug FROM programmes WHERE id = $1`, k.programme).Scan(&slug); err != nil {
						return err
					}
					slugs[k.programme] = slug
				}
				seqs, err := s.ledger.AppendTx(ctx, tx, ledger.Entry{Kind: ledger.MerchantSettled, At: now.Unix(), Merchant: s.merchantName(m),
					Programme: slugs[k.programme], Amount: l.Net, Count: l.Payments, Ref: "settlement:" + Day(start)})
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO settlement_lines (settlement_id, programme_id, payments, paid, refunded, carried, net, ledger_seq)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, k.programme, l.Payments, l.Paid, l.Refunded, l.Carried, l.Net, seqs[0]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, nil, err
	}
	lines, err := s.Settlement(ctx, day)
	return settled, lines, err
}

// carriedTx is what the merchant's last settled day before day left owing
// in the programme.
func carriedTx(ctx context.Context, tx *sql.Tx, k pair, day string) (int64, error) {
	var owing int64
	err := tx.QueryRowContext(ctx, `SELECT l.paid - l.refunded + l.carried - l.net FROM settlement_lines l
		JOIN settlements st ON st.id = l.settlement_id WHERE st.merchant_id = $1 AND l.programme_id = $2 AND st.day < $3
		ORDER BY st.day DESC LIMIT 1`, k.merchant, k.programme, day).Scan(&owing)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return owing, err
}

// Settlement is a day's settlement as recorded, in the order of the bank
// file: by business number, then programme.
func (s *Service) Settlement(ctx context.Context, day string) ([]SettlementLine, error) {
	rows, err := s.db.Query(ctx, `SELECT st.day, m.id, m.name, m.business_number, p.slug, l.payments, l.paid, l.refunded, l.carried, l.net
		FROM settlement_lines l JOIN settlements st ON st.id = l.settlement_id JOIN merchants m ON m.id = st.merchant_id
		JOIN programmes p ON p.id = l.programme_id WHERE st.day = $1 ORDER BY m.business_number, p.slug`, day)
	return db.Collect(rows, err, func(row db.Scanner) (SettlementLine, error) {
		var l SettlementLine
		err := row.Scan(&l.Day, &l.MerchantID, &l.Merchant, &l.BusinessNumber, &l.Programme, &l.Payments, &l.Paid, &l.Refunded, &l.Carried, &l.Net)
		return l, err
	})
}

// settlementHeader is the first row of the bank's settlement file.
var settlementHeader = []string{"settlement_date", "business_number", "merchant_name", "programme", "payments", "paid_krw",
	"refunded_krw", "carried_krw", "net_krw"}

// SettlementCSV is the bank's file of a settlement: UTF-8, a header row,
// one row per merchant and programme in the order given, amounts in whole
// KRW; net_krw is what the bank transfers.
func SettlementCSV(lines []SettlementLine) []byte {
	var b bytes.Buffer
	w := sheet.NewWriter(&b)
	w.Write(settlementHeader)
	for _, l := range lines {
		m := Merchant{BusinessNumber: l.BusinessNumber}
		w.Write([]string{l.Day, m.Formatted(), l.Merchant, l.Programme, itoa(l.Payments), itoa(l.Paid), itoa(l.Refunded), itoa(l.Carried), itoa(l.Net)})
	}
	w.Flush()
	return b.Bytes()
}

// fileLine is a row of a settlement file as read back.
type fileLine struct {
	day                               string
	payments, paid, refunded, carried int64
	net                               int64
}

func parseSettlementCSV(data []byte) (map[[2]string]fileLine, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	r.FieldsPerRecord = len(settlementHeader)
	records, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("the settlement file is not a CSV of %d columns: %w", len(settlementHeader), err)
	}
	if len(records) == 0 || fmt.Sprint(records[0]) != fmt.Sprint(settlementHeader) {
		return nil, fmt.Errorf("the settlement file does not start with the header %v", settlementHeader)
	}
	out := map[[2]string]fileLine{}
	for i, rec := range records[1:] {
		bn, err := ParseBusinessNumber(rec[1])
		if err != nil {
			return nil, fmt.Errorf("settlement file line %d: business number %q is not valid", i+2, rec[1])
		}
		var l fileLine
		l.day = rec[0]
		for j, dst := range []*int64{&l.payments, &l.paid, &l.refunded, &l.carried, &l.net} {
			if *dst, err = strconv.ParseInt(rec[4+j], 10, 64); err != nil {
				return nil, fmt.Errorf("settlement file line %d: %s %q is not a whole number", i+2, settlementHeader[4+j], rec[4+j])
			}
		}
		k := [2]string{bn, sheet.Restore(rec[3])}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("settlement file line %d: %s and %s appear twice", i+2, rec[1], rec[3])
		}
		out[k] = l
	}
	return out, nil
}
