// Package funds is the policy funds part: programmes that pay points to
// citizens, and everything between the application and the shop.
//
//   - Programmes: budget, eligibility and benefit rules in CEL over the
//     citizen card's claims and the resident registry, quota, co-payment,
//     window, expiry, merchant categories; rules are compiled and dry-run
//     against the registry when saved, and every version of them is kept.
//   - Applications: the citizen applies in one step; the wallet is asked
//     for exactly the claims the rules read (OpenID4VP through the
//     identity part), the card must be the applicant's own and agree with
//     the registry, and the decision records the rules' version, the facts
//     and the presentation. Quota, budget and one benefit per household are
//     taken on the programme's row, in the order applications arrive.
//     Reviews, appeals and co-payments are decided by staff.
//   - Points: one account per citizen and programme; payments at approved
//     merchants of the programme's categories, by a payment request and an
//     idempotency key; refunds; expiry back to the budget.
//   - Cycles: for programmes paid to everyone eligible, the beneficiaries
//     are frozen when a cycle starts (rules applied again each cycle) and
//     paid in resumable batches.
//   - Settlement: per merchant and day, with its ledger entries and the
//     bank's CSV file; reconciliation of the database, the ledger and the
//     file to the won.
//   - Grievances about a decision or a payment, answered by staff, seen by
//     the parties to it.
//
// The rules here: amounts are whole KRW; a rule is data staff write, never
// code; every movement of points is one transaction with its ledger entry,
// which names the resident only as its Owner for the ledger to seal (no
// payment's, application's or cycle's id goes on the ledger, so that nobody
// can follow a resident from entry to entry);
// a balance never goes below zero and a budget is never exceeded, however
// many requests race.
package funds
