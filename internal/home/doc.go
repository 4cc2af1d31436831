// Package home is the first page a person sees: "내 마을" (my page) for a
// signed-in citizen — the next class, bookings, the citizen card's state
// with its one next step, points, the neighbourhood's news, open requests —
// the role's queues with their counts for staff, and a welcome that says
// what Maeul offers for everyone else. It knows no part: app fills its
// blocks from the parts' exported APIs (Options), so each block links to
// the part it came from.
package home
