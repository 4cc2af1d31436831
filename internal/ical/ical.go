package ical

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Event is one VEVENT. UID must be globally unique and stable across
// exports so clients update rather than duplicate the event.
type Event struct {
	UID, Summary, Description, Location, URL string
	Start, End                               time.Time
	Created                                  time.Time
	Status                                   string // "CONFIRMED" or "CANCELLED"; empty omits it
}

// Status values clients understand for VEVENT (RFC 5545 §3.8.1.11).
const (
	StatusConfirmed = "CONFIRMED"
	StatusCancelled = "CANCELLED"
)

const prodID = "-//Maeul//Maeul//KO"

// maxLine is the RFC 5545 §3.1 limit in octets, excluding CRLF.
const maxLine = 75

const utcFormat = "20060102T150405Z"

// now is replaced in tests so DTSTAMP is reproducible.
var now = time.Now

// Write writes a VCALENDAR named calName holding events. It fails without
// writing anything if an event lacks a UID or a start, or has an unknown
// status, because a client would silently drop or misfile such an event.
func Write(w io.Writer, calName string, events []Event) error {
	for i, e := range events {
		if err := e.check(); err != nil {
			return fmt.Errorf("ical: event %d (%q): %w", i, e.UID, err)
		}
	}
	cw := &contentWriter{w: bufio.NewWriter(w)}
	cw.line("BEGIN", "VCALENDAR")
	cw.line("PRODID", prodID)
	cw.line("VERSION", "2.0")
	cw.line("CALSCALE", "GREGORIAN")
	cw.line("METHOD", "PUBLISH")
	if calName != "" {
		cw.line("X-WR-CALNAME", escape(calName))
	}
	stamp := now().UTC().Format(utcFormat)
	for _, e := range events {
		cw.line("BEGIN", "VEVENT")
		cw.line("UID", escape(e.UID))
		cw.line("DTSTAMP", stamp)
		cw.line("DTSTART", utc(e.Start))
		if !e.End.IsZero() {
			cw.line("DTEND", utc(e.End))
		}
		if !e.Created.IsZero() {
			cw.line("CREATED", utc(e.Created))
		}
		cw.text("SUMMARY", e.Summary)
		cw.text("DESCRIPTION", e.Description)
		cw.text("LOCATION", e.Location)
		if e.URL != "" {
			// URL is a URI value, not TEXT: backslash escapes would corrupt it.
			cw.line("URL", e.URL)
		}
		if e.Status != "" {
			cw.line("STATUS", e.Status)
		}
		cw.line("END", "VEVENT")
	}
	cw.line("END", "VCALENDAR")
	if cw.err != nil {
		return cw.err
	}
	return cw.w.Flush()
}

func (e Event) check() error {
	switch {
	case e.UID == "":
		return errors.New("missing UID")
	case e.Start.IsZero():
		return errors.New("missing start")
	case !e.End.IsZero() && e.End.Before(e.Start):
		return errors.New("ends before it starts")
	case e.Status != "" && e.Status != StatusConfirmed && e.Status != StatusCancelled:
		return fmt.Errorf("unknown status %q", e.Status)
	case strings.ContainsAny(e.URL, "\r\n"):
		return errors.New("line break in URL")
	}
	return nil
}

func utc(t time.Time) string { return t.UTC().Format(utcFormat) }

// escape applies RFC 5545 §3.3.11 TEXT escaping. CRLF and lone CR count as
// one line break so text pasted from Windows does not gain blank lines;
// other control characters are not allowed in TEXT and are dropped.
func escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', ';', ',':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b.WriteString(`\n`)
		case '\n':
			b.WriteString(`\n`)
		default:
			if (c < 0x20 && c != '\t') || c == 0x7f {
				continue
			}
			b.WriteByte(c)
		}
	}
	return b.String()
}

type contentWriter struct {
	w   *bufio.Writer
	err error
}

func (cw *contentWriter) text(name, value string) {
	if value != "" {
		cw.line(name, escape(value))
	}
}

// line writes one content line, folded so no physical line exceeds maxLine
// octets. Folds fall only between UTF-8 characters: clients decode each
// physical line on its own often enough that a split Hangul syllable turns
// into replacement characters.
func (cw *contentWriter) line(name, value string) {
	if cw.err != nil {
		return
	}
	// The format is UTF-8 only, and the fold below relies on valid UTF-8 to
	// find a character boundary within four bytes.
	s := strings.ToValidUTF8(name+":"+value, "\uFFFD")
	limit := maxLine
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		cw.write(s[:cut], "\r\n ")
		s = s[cut:]
		// Continuation lines begin with a space, which counts toward the
		// limit.
		limit = maxLine - 1
	}
	cw.write(s, "\r\n")
}

func (cw *contentWriter) write(parts ...string) {
	for _, p := range parts {
		if _, err := cw.w.WriteString(p); err != nil && cw.err == nil {
			cw.err = err
		}
	}
}
