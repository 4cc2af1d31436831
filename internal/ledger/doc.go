// Package ledger is the platform's tamper-evident record: an append-only
// log of typed entries (credential status changes, point movements,
// settlements, budgets) integrated into an RFC 6962 Merkle tree, published
// as C2SP tlog-tiles with signed C2SP tlog-checkpoints, in the same database
// as everything else.
//
// The rules here: an entry is appended in the transaction of the change it
// records, so neither exists without the other; an entry names a person
// only by a commitment no other entry shares, and a merchant by its keyed
// pseudonym; the tree only grows, and every published checkpoint is
// consistent with every earlier one.
//
// # What the ledger reveals, and what it does not
//
// The ledger is public so that anyone can check the totals: what each
// programme was given, credited, spent, refunded and let expire, what each
// merchant took and was settled, how many cards were issued, suspended,
// reinstated and revoked. It must not let anyone follow a person.
//
// An entry of format version 2 (the "v":2 field first, written by AppendTx
// since format 2 came) shows:
//
//   - its kind, and for points its programme (by slug) and exact amount in
//     KRW, or for cards how many: the totals must add up to the won;
//   - its time, rounded down to the hour;
//   - the merchant, for a payment, a refund and a settlement, by a keyed
//     pseudonym that is the same in every entry: merchants are businesses
//     paid with public money, and their takings are what is checked;
//   - for an entry about a person (card.*, points.*), a subject
//     "c-" + base64url(SHA-256("maeul ledger subject v2" || 0x00 || owner
//     || 0x00 || salt)), where owner is the person as Log.Owner names them
//     (an HMAC of their id under a key derived from the platform's secret)
//     and salt is 16 random bytes drawn for this entry alone; and a ref
//     "e-" + 12 random bytes, drawn for this entry alone. Nothing a part
//     writes (a payment's id at the till, an application's or a cycle's
//     number, a card batch) is on the ledger.
//
// So an entry does not show whose it is, and no two entries of one person
// share anything that says so: not the subject, not the ref, not the
// second. A merchant that saw a payment at its till can find that entry
// (its own pseudonym, the hour, the amount) but not the payer's entries
// anywhere else, nor their credits. ParseEntry refuses a format 2 entry
// about a person whose subject or ref is not of those shapes, so an
// auditor replaying the log (maeul ledger verify) notices a platform that
// puts a name, a stable pseudonym or a till's id there.
//
// What it still reveals: how much each programme pays and is spent in each
// hour, and each merchant's takings per hour, to the won. In a quiet hour
// at a small shop, someone who knows that a person paid there then may
// pick the entry out by its amount; what they learn is what they knew.
// Amounts can also suggest a pattern (a credit of an unusual amount, then
// payments that use it up exactly), but nothing ties them together except
// the programme, which many people share. And entries take their place in
// the log in the order their transactions commit, so an entry's neighbours
// were written about the same time: the index orders the entries within
// their hour, though it says nothing of whose they are.
//
// The owner and the salt of an entry are its opening. They are kept in a
// private table, ledger_openings, by the entry's sequence number, so that
// the citizen can download their receipt again at any time (written beside
// the entry in ledger_pending, in the business transaction's one insert,
// and moved there when the entry is integrated); the ledger
// never publishes them (nothing under /ledger/ reads that table), and puts
// one only in the receipt ReceiptOf returns, which the part that appended
// the entry (funds for points, identity for cards) gives only to its
// person. With the receipt, the person, and whoever they give it to, can
// check offline that the entry is in the signed log and that it is theirs
// (VerifyReceipt, maeul ledger verify-receipt, the receipt check in the
// page); giving two receipts shows the two entries are one person's, and
// nothing more. Receipt, by index, as anyone may ask, carries no opening.
// The platform itself, holding the openings and its own tables, can of
// course tell whose each entry is: the ledger hides people from the
// public, not from the platform that pays them. Deleting an entry's
// opening leaves the entry in the log and in every total, and nobody can
// show any more whose it is.
//
// Entries of format version 1, written before format 2, have no "v": they
// name a person by a stable keyed pseudonym (Log.Pseudonym of "resident"),
// with the exact second and the part's refs, and so link every entry of one
// person. They stay in the log as they are (a log is never rewritten),
// verify and replay into the same totals; their receipts carry no opening.
// The owner a format 2 entry commits to is derived with another key than
// those pseudonyms, so that giving a receipt of a new entry does not point
// to the person's old ones.
package ledger
