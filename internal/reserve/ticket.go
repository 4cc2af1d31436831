package reserve

import (
	"html/template"
	"strings"

	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/humancode"
	"github.com/maeul/maeul/internal/qr"
)

// Tickets are the codes a claim's holder shows at the door: 16 characters
// (about 79 bits), unguessable and short enough to type in four groups of
// four, and a QR code of the code behind the caller's Prefix, so a scanner
// can tell whose ticket it is.
type Tickets struct {
	Prefix  string // "MAEUL-TICKET:", "MAEUL-BOOKING:"
	Missing string // the key of Read's refusal of no ticket at all
	Invalid string // the key of Read's refusal of what cannot be a ticket
}

// MaxTicket bounds what Read looks up: a longer text is no ticket.
const MaxTicket = 64

// NewTicket returns a fresh ticket code.
func NewTicket() string { return humancode.New(16) }

// TicketText is a ticket code as people read it: four groups of four.
func TicketText(code string) string { return humancode.Groups(code) }

// Normalize turns what a scanner read or a person typed into a stored
// code: the prefix of the QR text, spaces and dashes are dropped and
// letters made capitals, so "k7qm 2xpa-…" finds K7QM2XPA….
func (t Tickets) Normalize(text string) string {
	s := strings.TrimSpace(text)
	if len(s) >= len(t.Prefix) && strings.EqualFold(s[:len(t.Prefix)], t.Prefix) {
		s = s[len(t.Prefix):]
	}
	return humancode.Normalize(s)
}

// Read is Normalize refusing, as an error of the form's field "ticket",
// what cannot be a ticket: nothing at all (Missing) or more than MaxTicket
// characters (Invalid).
func (t Tickets) Read(text string) (string, error) {
	code := t.Normalize(text)
	switch {
	case code == "":
		return "", errs.Field("ticket", t.Missing)
	case len(code) > MaxTicket:
		return "", errs.Field("ticket", t.Invalid)
	}
	return code, nil
}

// QR is the ticket's QR code as an SVG of 240 pixels, labelled for
// screen readers.
func (t Tickets) QR(code, label string) (template.HTML, error) {
	return qr.SVG(t.Prefix+code, 240, label)
}
