package ical

import (
	"bytes"
	"net/http"
	"strconv"
)

// Serve answers a request with a VCALENDAR named calName holding events, as
// a download named filename. Nothing is sent when Write fails, so the
// caller can still answer with an error.
func Serve(w http.ResponseWriter, calName, filename string, events []Event) error {
	var buf bytes.Buffer
	if err := Write(&buf, calName, events); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	_, err := w.Write(buf.Bytes())
	return err
}

// UID is the stable UID of the event of a kind of thing ("session",
// "booking") with an id: the same on every export, so clients update it.
func UID(kind string, id int64) string {
	return kind + "-" + strconv.FormatInt(id, 10) + "@maeul"
}
