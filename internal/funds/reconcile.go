package funds

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/maeul/maeul/internal/ledger"
)

// Reconciliation is the comparison of a day's takings as the database,
// the ledger and the bank's settlement file tell them.
type Reconciliation struct {
	Day         string
	Pairs       int      // merchant and programme pairs compared
	Settled     bool     // the day has a settlement
	File        bool     // a settlement file was compared
	Differences []string // one line per figure the sources disagree on
}

// Agree reports whether every source agrees to the won.
func (r Reconciliation) Agree() bool { return len(r.Differences) == 0 }

// Reconcile compares, for every merchant and programme of a day: the
// payments and refunds in the database; the settlement recorded for the
// day; the ledger's points.spent, points.refunded and merchant.settled
// entries; and, when file is not nil, the settlement file sent to the
// bank. Each disagreement names the merchant, the programme, the figure
// and what each source says.
func (s *Service) Reconcile(ctx context.Context, day string, file []byte) (Reconciliation, error) {
	start, end, err := DayBounds(day)
	if err != nil {
		return Reconciliation{}, err
	}
	day = Day(start)
	rec := Reconciliation{Day: day, File: file != nil}
	live, err := dayFigures(ctx, s.db.Read(), start, end)
	if err != nil {
		return rec, err
	}
	merchants, err := s.Merchants(ctx, "")
	if err != nil {
		return rec, err
	}
	progs, err := s.Programmes.List(ctx)
	if err != nil {
		return rec, err
	}
	type key struct{ merchant, programme string } // business number, slug
	byPseudonym := map[string]Merchant{}
	byID := map[int64]Merchant{}
	for _, m := range merchants {
		byPseudonym[s.merchantName(m.ID)], byID[m.ID] = m, m
	}
	slugOf := map[int64]string{}
	for _, p := range progs {
		slugOf[p.ID] = p.Slug
	}
	names := map[string]string{} // business number → name
	for _, m := range merchants {
		names[m.BusinessNumber] = m.Name
	}

	// Each source's figures; a figure a source does not state is absent.
	type values map[string]map[string]int64 // figure → source → value
	all := map[key]values{}
	put := func(k key, figure, source string, v int64) {
		if all[k] == nil {
			all[k] = values{}
		}
		if all[k][figure] == nil {
			all[k][figure] = map[string]int64{}
		}
		all[k][figure][source] += v
	}
	for k, f := range live {
		kk := key{byID[k.merchant].BusinessNumber, slugOf[k.programme]}
		put(kk, "payments", "database", f.Payments)
		put(kk, "paid", "database", f.Paid)
		put(kk, "refunded", "database", f.Refunded)
	}
	lines, err := s.Settlement(ctx, day)
	if err != nil {
		return rec, err
	}
	rec.Settled = len(lines) > 0
	for _, l := range lines {
		k := key{l.BusinessNumber, l.Programme}
		put(k, "payments", "settlement", l.Payments)
		put(k, "paid", "settlement", l.Paid)
		put(k, "refunded", "settlement", l.Refunded)
		put(k, "net", "settlement", l.Net)
		if want := max(0, l.Paid-l.Refunded+l.Carried); want != l.Net {
			rec.Differences = append(rec.Differences, fmt.Sprintf("merchant %s (%s), programme %s: the settlement's net is %s, but payments less refunds and what was carried make %s",
				l.Merchant, Merchant{BusinessNumber: l.BusinessNumber}.Formatted(), l.Programme, krwText(l.Net), krwText(want)))
		}
	}
	from, to := start.Unix(), end.Unix()
	ref := "settlement:" + day
	unknown := map[string]bool{}
	err = s.ledger.Entries(ctx, 0, func(_ uint64, e ledger.Entry) error {
		inDay := e.At >= from && e.At < to
		switch {
		case e.Kind == ledger.PointsSpent && inDay, e.Kind == ledger.PointsRefunded && inDay, e.Kind == ledger.MerchantSettled && e.Ref == ref:
		default:
			return nil
		}
		m, ok := byPseudonym[e.Merchant]
		if !ok {
			unknown[e.Merchant] = true
			return nil
		}
		k := key{m.BusinessNumber, e.Programme}
		switch e.Kind {
		case ledger.PointsSpent:
			put(k, "payments", "ledger", 1)
			put(k, "paid", "ledger", e.Amount)
		case ledger.PointsRefunded:
			put(k, "refunded", "ledger", e.Amount)
		case ledger.MerchantSettled:
			put(k, "net", "ledger", e.Amount)
		}
		return nil
	})
	if err != nil {
		return rec, err
	}
	for _, m := range sortedSet(unknown) {
		rec.Differences = append(rec.Differences, fmt.Sprintf("the ledger names merchant %s on %s, whom the database does not know", m, day))
	}
	if file != nil {
		rows, err := parseSettlementCSV(file)
		if err != nil {
			return rec, err
		}
		for k, l := range rows {
			if l.day != day {
				rec.Differences = append(rec.Differences, fmt.Sprintf("the settlement file has a row of %s (merchant %s, programme %s), not of %s",
					l.day, Merchant{BusinessNumber: k[0]}.Formatted(), k[1], day))
				continue
			}
			kk := key{k[0], k[1]}
			put(kk, "payments", "file", l.payments)
			put(kk, "paid", "file", l.paid)
			put(kk, "refunded", "file", l.refunded)
			put(kk, "net", "file", l.net)
		}
	}

	// The sources each figure must come from: the database and the ledger
	// always; the settlement and the file once there are any.
	sources := map[string][]string{
		"payments": {"database", "ledger"}, "paid": {"database", "ledger"}, "refunded": {"database", "ledger"},
	}
	if rec.Settled {
		for _, f := range []string{"payments", "paid", "refunded"} {
			sources[f] = append(sources[f], "settlement")
		}
		sources["net"] = []string{"settlement", "ledger"}
	}
	if rec.File {
		for _, f := range []string{"payments", "paid", "refunded"} {
			sources[f] = append(sources[f], "file")
		}
		sources["net"] = append(sources["net"], "file")
	}
	keys := make([]key, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].merchant != keys[j].merchant {
			return keys[i].merchant < keys[j].merchant
		}
		return keys[i].programme < keys[j].programme
	})
	unit := map[string]string{"payments": "payment(s)"}
	for _, k := range keys {
		rec.Pairs++
		for _, figure := range []string{"payments", "paid", "refunded", "net"} {
			got := all[k][figure]
			var parts []string
			agree := true
			for i, src := range sources[figure] {
				v := got[src]
				if i > 0 && v != got[sources[figure][0]] {
					agree = false
				}
				if u := unit[figure]; u != "" {
					parts = append(parts, fmt.Sprintf("%s %d %s", src, v, u))
				} else {
					parts = append(parts, src+" "+krwText(v))
				}
			}
			if !agree {
				rec.Differences = append(rec.Differences, fmt.Sprintf("merchant %s (%s), programme %s, %s: %s", names[k.merchant],
					Merchant{BusinessNumber: k.merchant}.Formatted(), k.programme, figure, strings.Join(parts, ", ")))
			}
		}
	}
	return rec, nil
}

// krwText is an amount as the command line prints it: 1,234,500 KRW.
func krwText(n int64) string {
	s := itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s + " KRW"
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
