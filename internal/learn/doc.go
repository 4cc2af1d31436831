// Package learn is the Digital Learning Center: themes, venues (hubs,
// district centres, experience zones), courses and their dated sessions,
// registration (online, by a call-centre operator, for a group, or by
// lottery) with waitlists, QR tickets and calendar files, attendance and
// completion, mobile-class requests, feedback and statistics.
//
// The rule here: a session never holds more confirmed seats than its
// capacity. Every change to seats happens in one transaction that first
// locks the session row, on SQLite and on PostgreSQL alike. The seats,
// waitlists, draws, tickets and check-in run on the reservation engine
// (internal/reserve), with the sessions as its pools and the registrations
// as its claims; the rules and the words are learn's.
package learn
