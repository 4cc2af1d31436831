package practice

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/web"
)

// A learner without an account keeps their finished tasks on the device,
// in a cookie the server signs, so nobody's progress sits on the server
// without an account and none can be made up by editing the cookie.
const (
	deviceCookie = "maeul_practice"
	deviceKeep   = 40 // the latest this many; a cookie holds 4 KB
)

// deviceAttempts are the attempts kept on the request's device.
func (s *Service) deviceAttempts(r *http.Request) []Attempt {
	c, err := r.Cookie(deviceCookie)
	if err != nil {
		return nil
	}
	data, sig, ok := strings.Cut(c.Value, "|")
	if !ok || sig != s.signBytes(data) {
		return nil
	}
	var out []Attempt
	for _, e := range strings.Split(data, "~") {
		f := strings.Split(e, ".")
		if len(f) != 6 {
			continue
		}
		mode := Guided
		if f[2] == "c" {
			mode = Challenge
		}
		mistakes, _ := strconv.Atoi(f[3])
		secs, _ := strconv.Atoi(f[4])
		started, _ := strconv.ParseInt(f[5], 10, 64)
		a := Attempt{Scenario: f[0], Task: f[1], Mode: mode, Mistakes: mistakes, Seconds: secs,
			Started: time.Unix(started, 0), Finished: time.Unix(started+int64(secs), 0)}
		if s.known(a) {
			out = append(out, a)
		}
	}
	return out
}

// keepOnDevice adds an attempt to the device's, dropping the oldest.
func (s *Service) keepOnDevice(w http.ResponseWriter, r *http.Request, a Attempt) {
	list := slices.DeleteFunc(s.deviceAttempts(r), func(x Attempt) bool {
		return x.Scenario == a.Scenario && x.Task == a.Task && x.Started.Equal(a.Started) // the same finish sent again
	})
	list = append(list, a)
	if len(list) > deviceKeep {
		list = list[len(list)-deviceKeep:]
	}
	entries := make([]string, len(list))
	for i, x := range list {
		m := "g"
		if x.Mode == Challenge {
			m = "c"
		}
		entries[i] = strings.Join([]string{x.Scenario, x.Task, m, strconv.Itoa(x.Mistakes), strconv.Itoa(x.Seconds),
			strconv.FormatInt(x.Started.Unix(), 10)}, ".")
	}
	data := strings.Join(entries, "~")
	web.SetCookie(w, r, &http.Cookie{Name: deviceCookie, Value: data + "|" + s.signBytes(data), Path: "/practice",
		MaxAge: 400 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// forgetDevice removes the device's record, as on a shared computer.
func forgetDevice(w http.ResponseWriter, r *http.Request) {
	web.SetCookie(w, r, &http.Cookie{Name: deviceCookie, Path: "/practice", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode})
}
