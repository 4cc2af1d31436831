package notify_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/i18n"
	"github.com/maeul/maeul/internal/notify"
)

// goSources is every Go file of the module but the tests, by path.
func goSources(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, dir := range []string{"../../internal", "../../cmd"} {
		err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			b, err := os.ReadFile(path)
			out[path] = string(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// catalogueKeys is every key of the Korean catalogue.
func catalogueKeys(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../i18n/locales/*.ko.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no catalogue: %v", err)
	}
	var keys []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		for k := range m {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

var (
	subjectUse = regexp.MustCompile(`Subject: *"([a-z0-9_]+\.[a-z0-9_.]+)"`)
	sendDirect = regexp.MustCompile(`SendDirect\([^,]+,[^,]+,[^,]+, *("[a-z0-9_]+"|[A-Za-z.]+), *"([a-z0-9_.]+)", *"([a-z0-9_.]+)"`)
	msgLiteral = regexp.MustCompile(`"([a-z0-9_]+\.msg_[a-z0-9_]+)"`)
	msgPrefix  = regexp.MustCompile(`"([a-z0-9_]+\.msg_)" *\+`)
	kindUse    = regexp.MustCompile(`(?:notify\.Message\{[^}]*Kind: *|\bkind(?:, *\w+)? :?= *)"([a-z0-9_]+)"`)
	verb       = regexp.MustCompile(`%(?:\[(\d+)\])?[-+# 0]*[0-9]*(?:\.[0-9]+)?([a-zA-Z])`)
)

// messages are the subjects and bodies the code base sends: subjects
// written as Subject: "…" or passed to SendDirect; bodies are the
// catalogue's *.msg_* messages and SendDirect's bodies. Keys written in the
// code must exist, and a key built at run time ("learn.msg_"+status) must
// have at least one message.
func messages(t *testing.T) (subjects, bodies []string) {
	t.Helper()
	keys := catalogueKeys(t)
	for path, src := range goSources(t) {
		for _, m := range subjectUse.FindAllStringSubmatch(src, -1) {
			subjects = append(subjects, m[1])
		}
		for _, m := range sendDirect.FindAllStringSubmatch(src, -1) {
			subjects, bodies = append(subjects, m[2]), append(bodies, m[3])
		}
		for _, m := range msgLiteral.FindAllStringSubmatch(src, -1) {
			if !slices.Contains(keys, m[1]) {
				t.Errorf("%s: message %q is not in the catalogue", path, m[1])
			}
		}
		for _, m := range msgPrefix.FindAllStringSubmatch(src, -1) {
			if !slices.ContainsFunc(keys, func(k string) bool { return strings.HasPrefix(k, m[1]) }) {
				t.Errorf("%s: no message starts with %q", path, m[1])
			}
		}
	}
	for _, k := range keys {
		if strings.Contains(k, ".msg_") && !strings.HasSuffix(k, ".msg_subject") {
			bodies = append(bodies, k)
		}
	}
	slices.Sort(subjects)
	slices.Sort(bodies)
	subjects, bodies = slices.Compact(subjects), slices.Compact(bodies)
	if len(subjects) < 4 || len(bodies) < 15 {
		t.Fatalf("found only subjects %v and bodies %v: has the code changed shape?", subjects, bodies)
	}
	for _, s := range subjects {
		if !slices.Contains(keys, s) {
			t.Errorf("subject %q is not in the catalogue", s)
		}
	}
	return subjects, bodies
}

// name stands for a course, a place or a time in a message: it renders
// itself in the reader's language, as the parts' labels do.
type name struct{}

func (name) Localize(l i18n.Localizer) string { return l.Pick("수업", "class") }

// standIns are arguments of the right kind for every verb of key.
func standIns(key string) []any {
	var args []any
	next := 0
	for _, m := range verb.FindAllStringSubmatch(i18n.For("ko").T(key), -1) {
		i := next
		if m[1] != "" {
			i = int(m[1][0]-'0') - 1
		}
		next = i + 1
		for len(args) <= i {
			args = append(args, nil)
		}
		if m[2] == "d" {
			args[i] = 7
		} else {
			args[i] = name{}
		}
	}
	return args
}

// TestEveryMessageReadsCleanly renders every subject with every body the
// code base sends, through the outbox, in Korean and English: no fmt
// complaint (%!…), no key instead of words. A subject is formatted with its
// own arguments only; before, every sign-in code's subject read
// "마을 인증번호%!(EXTRA string=…)".
func TestEveryMessageReadsCleanly(t *testing.T) {
	t.Parallel()
	d := dbtest.SQLite(t)
	users(t, d)
	s := notify.New(d, book{1: {Phone: "+821011112222", Lang: "ko"}, 2: {Phone: "+821033334444", Lang: "en"}}, nil)
	ctx := context.Background()
	subjects, bodies := messages(t)
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		for _, user := range []int64{1, 2} {
			for _, subject := range subjects {
				for _, body := range bodies {
					m := notify.Message{UserID: user, Kind: "registration", Subject: subject, Body: body, Args: standIns(body)}
					if err := s.Enqueue(ctx, tx, m); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range i18n.Langs {
		if err := s.SendDirect(ctx, "+821055556666", lang, notify.KindLoginCode, "auth.code_sms_subject", "auth.code_sms_body", "123456"); err != nil {
			t.Fatal(err)
		}
	}
	out, err := s.Outbox(ctx, "", 100000)
	if err != nil {
		t.Fatal(err)
	}
	if want := 2*len(subjects)*len(bodies) + 2; len(out) != want {
		t.Fatalf("%d messages in the outbox, want %d", len(out), want)
	}
	key := regexp.MustCompile(`\b[a-z0-9_]+\.[a-z0-9_]+\.?[a-z0-9_]*\b`)
	for _, m := range out {
		for _, text := range []string{m.Subject, m.Body} {
			if strings.Contains(text, "%!") || strings.Contains(text, ".msg_") || key.FindString(text) == text {
				t.Errorf("to %s: %q", m.Recipient, text)
			}
		}
	}
	if out[0].Subject != "Maeul sign-in code" && out[0].Subject != "마을 인증번호" {
		t.Errorf("sign-in code's subject: %q", out[0].Subject)
	}
}

// TestOutboxCodesHaveLabels: the outbox page names every kind, status and
// channel in both languages; the kinds are collected from the code that
// sends messages.
func TestOutboxCodesHaveLabels(t *testing.T) {
	t.Parallel()
	kinds := append([]string{notify.KindLoginCode}, notify.Kinds...)
	for path, src := range goSources(t) {
		if !strings.Contains(src, "notify.Message{") && !strings.Contains(src, "SendDirect(") {
			continue
		}
		for _, m := range kindUse.FindAllStringSubmatch(src, -1) {
			kinds = append(kinds, m[1])
		}
		for _, m := range sendDirect.FindAllStringSubmatch(src, -1) {
			if k, ok := strings.CutPrefix(m[1], `"`); ok {
				kinds = append(kinds, strings.TrimSuffix(k, `"`))
			} else if m[1] != "kind" && m[1] != "notify.KindLoginCode" {
				t.Errorf("%s: SendDirect with kind %s: name it here or use a constant of notify", path, m[1])
			}
		}
	}
	labels := map[string][]string{"notify.kind.": kinds, "notify.status.": notify.Statuses, "notify.channel.": {notify.SMS, notify.Email}}
	for prefix, codes := range labels {
		for _, c := range codes {
			for _, l := range i18n.Langs {
				if !i18n.Has(l, prefix+c) {
					t.Errorf("%s%s is missing from the %s catalogue", prefix, c, l)
				}
			}
		}
	}
}
