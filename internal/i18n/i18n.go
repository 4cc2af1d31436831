package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Langs are the supported languages, default first.
var Langs = []string{"ko", "en"}

//go:embed locales/*.json
var localeFS embed.FS

var catalogues = map[string]map[string]string{}

// The catalogue of a language is every locales/*.<lang>.json file, so that
// each part keeps its own messages; a key defined twice is a startup error.
func init() {
	for _, l := range Langs {
		files, err := fs.Glob(localeFS, "locales/*."+l+".json")
		if err != nil || len(files) == 0 {
			panic(fmt.Sprintf("i18n: no catalogue files for %s", l))
		}
		all := map[string]string{}
		for _, f := range files {
			b, err := localeFS.ReadFile(f)
			if err != nil {
				panic(err)
			}
			m := map[string]string{}
			if err := json.Unmarshal(b, &m); err != nil {
				panic(fmt.Sprintf("i18n: %s: %v", f, err))
			}
			for k, v := range m {
				if _, dup := all[k]; dup {
					panic(fmt.Sprintf("i18n: %s: key %q is defined twice", f, k))
				}
				all[k] = v
			}
		}
		catalogues[l] = all
	}
}

// Has reports whether lang's catalogue holds key.
func Has(lang, key string) bool {
	_, ok := catalogues[lang][key]
	return ok
}

// Zone is the city's time zone. Korea keeps no daylight saving time, so a
// fixed zone needs no tz database on the host.
var Zone = time.FixedZone("KST", 9*3600)

// Localizer translates and formats for one language.
type Localizer struct{ Lang string }

// For returns the Localizer of lang, falling back to Korean.
func For(lang string) Localizer {
	if _, ok := catalogues[lang]; !ok {
		lang = Langs[0]
	}
	return Localizer{Lang: lang}
}

// T translates key, formatting args into it with fmt verbs.
func (l Localizer) T(key string, args ...any) string {
	s, ok := catalogues[l.Lang][key]
	if !ok {
		s, ok = catalogues[Langs[0]][key]
	}
	if !ok {
		return key
	}
	if len(args) == 0 {
		return s
	}
	args = append([]any(nil), args...)
	for i, a := range args {
		if x, ok := a.(Localizable); ok {
			args[i] = x.Localize(l)
		}
	}
	return fmt.Sprintf(s, args...)
}

// Label names a code (a status, a kind, an action) in words: the message
// prefix+code, or the code itself when the catalogue has no such key, so
// that a new code shows as itself rather than as a key.
func (l Localizer) Label(prefix, code string) string {
	if code == "" || !Has(Langs[0], prefix+code) {
		return code
	}
	return l.T(prefix + code)
}

// Localizable is a message argument that renders itself per language, such
// as a course title stored in both languages with its date.
type Localizable interface {
	Localize(l Localizer) string
}

// Wait is a time to wait, as a message argument ("%s 뒤에 다시 해 주세요"):
// rounded up to whole seconds up to a minute, to minutes up to an hour,
// else to hours, so that it never says less than the wait.
type Wait time.Duration

// Localize writes the wait in l's language: "40초", "1 minute".
func (w Wait) Localize(l Localizer) string {
	d := time.Duration(w)
	unit, size := "second", time.Second
	switch {
	case d > time.Hour:
		unit, size = "hour", time.Hour
	case d > time.Minute:
		unit, size = "minute", time.Minute
	}
	n := max(1, int64((d+size-1)/size))
	if n == 1 {
		return l.T("wait." + unit)
	}
	return l.T("wait."+unit+"s", n)
}

// At is a moment as a message argument, written in the reader's language
// by DateTime (city time).
type At time.Time

// Localize writes the moment with DateTime.
func (t At) Localize(l Localizer) string { return l.DateTime(time.Time(t)) }

// Pick returns ko or en by language: for data stored in both languages.
func (l Localizer) Pick(ko, en string) string {
	if l.Lang == "en" && en != "" {
		return en
	}
	return ko
}

// Date formats a calendar date with the weekday, which seniors use to find a class.
func (l Localizer) Date(t time.Time) string {
	t = t.In(Zone)
	if l.Lang == "en" {
		return t.Format("Mon 2 January 2006")
	}
	return fmt.Sprintf("%d년 %d월 %d일 (%s)", t.Year(), t.Month(), t.Day(), koWeekdays[t.Weekday()])
}

// Clock formats a time of day.
func (l Localizer) Clock(t time.Time) string {
	t = t.In(Zone)
	if l.Lang == "en" {
		return t.Format("3:04 PM")
	}
	h := t.Hour()
	ampm := "오전"
	if h >= 12 {
		ampm = "오후"
	}
	if h%12 == 0 {
		h = 12
	} else {
		h %= 12
	}
	return fmt.Sprintf("%s %d:%02d", ampm, h, t.Minute())
}

// DateTime formats a date and time.
func (l Localizer) DateTime(t time.Time) string { return l.Date(t) + " " + l.Clock(t) }

// Number formats an integer with thousands separators.
func (l Localizer) Number(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

var koWeekdays = [...]string{"일", "월", "화", "수", "목", "금", "토"}

// Negotiate picks the language for a request: an explicit choice (cookie)
// first, then Accept-Language, then Korean.
func Negotiate(r *http.Request, chosen string) string {
	if _, ok := catalogues[chosen]; ok {
		return chosen
	}
	best, bestQ := Langs[0], -1.0
	for i, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if _, ok := catalogues[base]; ok && q > bestQ {
			best, bestQ = base, q-float64(i)*1e-6
		}
	}
	return best
}
