// Package booking lets citizens book what a facility offers — a room, a
// court, a piece of equipment — by the slot: a catalogue searched by name,
// district, category, step-free access and distance from a place;
// resources with their rules (how far ahead, how often, who may book,
// staff approval, first come or lottery), slots materialised when first
// booked, waitlists that promote on every cancellation, draws, tickets
// with QR codes and calendar files, check-in at the door, and the
// citizen's one list of what they booked.
//
// The rule here: a slot never holds more places than its capacity. The
// count changes only in the conditional UPDATE of the slot's row
// (taken + n <= capacity), inside the transaction that decides, on SQLite
// and on PostgreSQL alike. A person's bookings take their own row lock
// first, so that the weekly limit holds too. The places, waitlists, draws,
// tickets and check-in run on the reservation engine (internal/reserve),
// with the slots as its pools and the bookings as its claims; the rules
// and the words are booking's.
package booking
