// Package reserve is the one reservation engine behind the parts that hand
// out limited places: the learning centre's course seats and the facilities'
// bookable slots. It is plumbing: it imports no part and owns no table.
//
// A caller describes its own two tables in a Spec — the pool (a row per
// session or slot, holding capacity, the places taken and a queue counter)
// and the claims on it (a row per registration or booking, with its user,
// size, status and place in the queue) — and runs the engine inside its own
// db.Tx, where it keeps its rules, its other columns and its messages:
//
//   - Lock takes the pool's row lock (UPDATE … RETURNING bumps the queue
//     counter, the one row lock SQLite and PostgreSQL both honour);
//   - Ask decides a new claim under that lock: already claimed, entered into
//     an open draw, seated while places last, waitlisted or refused as full;
//   - Take and Release change the places taken, Take only if they fit;
//   - Promote gives freed places to the waitlist in queue order, passing
//     over, not dropping, a claim that does not fit;
//   - Draw allots places in the order DrawOrder gives for a stored seed
//     (Fisher–Yates driven by ChaCha8), so that a draw can be replayed,
//     and DrawDue runs the draws that are due, for the app's jobs;
//   - Tickets make, read and show the codes people carry (QR or typed);
//   - CheckIn's window and Check say whether a claim may be checked in now,
//     and Arrive marks it once even when two staff scan it together.
//
// The rule here: a pool never holds more places than its capacity. Places
// are added only by Take's conditional UPDATE (taken + n <= capacity), and
// every seat decision happens under the pool's row lock.
package reserve
