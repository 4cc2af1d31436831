package booking

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// What a scanner reads or staff type: whatever it is, it normalises without
// panicking, a real ticket survives its printed and QR forms, and the
// result has no spaces or dashes left.
func FuzzNormalizeTicket(f *testing.F) {
	for _, s := range []string{"K7QM-2XPA-9RTV-3HNW", TicketPrefix + "K7QM2XPA9RTV3HNW", "maeul-booking:k7qm 2xpa 9rtv 3hnw", "", " - ", "MAEUL-BOOKING:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := NormalizeTicket(s)
		if strings.ContainsAny(got, " -\t\n") {
			t.Fatalf("%q → %q keeps a separator", s, got)
		}
		if utf8.ValidString(s) && NormalizeTicket(got) != got && !strings.HasPrefix(strings.ToUpper(got), TicketPrefix) {
			t.Fatalf("%q → %q is not stable", s, got)
		}
		b := Booking{Ticket: "K7QM2XPA9RTV3HNW"}
		if NormalizeTicket(b.TicketText()) != b.Ticket || NormalizeTicket(TicketPrefix+b.TicketText()) != b.Ticket {
			t.Fatal("a ticket does not survive its own forms")
		}
	})
}

// A slot's start from a link or a form: anything either parses to a time
// that survives being written and read again, or is refused on the "at" field.
func FuzzParseAt(f *testing.F) {
	for _, s := range []string{"2026-12-02T10:00", " 2026-12-02T10:00 ", "2026-02-30T10:00", "2026-12-02T24:00", "2026-12-02 10:00", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		at, err := parseAt(s)
		if err != nil {
			wantKey(t, err, "booking.at_invalid")
			return
		}
		again, err := parseAt(FormatAt(at))
		if err != nil || !again.Equal(at) {
			t.Fatalf("%q → %v → %q → %v, %v", s, at, FormatAt(at), again, err)
		}
	})
}
