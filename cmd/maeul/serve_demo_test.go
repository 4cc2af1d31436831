package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/funds"
	"github.com/maeul/maeul/internal/notify"
)

// TestServeDemoOpensTheDemoShops: the first `serve --demo` opens the
// academy, the bookshop and the theatre, approved, each run by a demo
// account whose phone it prints; a second start adds nothing.
func TestServeDemoOpensTheDemoShops(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildMaeul(t)
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "demo.db")
	out := serveOnce(t, bin, "serve", "--demo", "--db", dsn)
	ctx := context.Background()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	shops, err := funds.New(d, nil, nil, nil).Merchants(ctx, funds.MerchantApproved)
	if err != nil || len(shops) != len(funds.DemoMerchants()) {
		t.Fatalf("approved shops %+v %v\n%s", shops, err, out)
	}
	categories := map[string]bool{}
	users := auth.NewUsers(d)
	for _, m := range shops {
		categories[m.Category] = true
		owner, err := users.Get(ctx, m.OwnerID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, auth.FormatPhone(owner.Phone)+"  "+m.Name) {
			t.Errorf("the phone of %s's owner is not printed:\n%s", m.Name, out)
		}
	}
	if !categories["education"] || !categories["books"] || !categories["performance"] {
		t.Fatalf("categories %v", categories)
	}
	var spots, guideCount, shifts, helps int
	if _, err := fmt.Sscanf(out[max(0, strings.Index(out, "Demo digital guides:")):], "Demo digital guides: %d spots on the data map, %d guides, %d shifts, %d help given.",
		&spots, &guideCount, &shifts, &helps); err != nil || spots < 100 || guideCount < 10 || shifts == 0 || helps == 0 {
		t.Fatalf("the demo's digital guides: %v\n%s", err, out)
	}
	d.Close()
	if again := serveOnce(t, bin, "serve", "--demo", "--db", dsn); strings.Contains(again, "Demo shops") {
		t.Fatalf("a second start opened shops again:\n%s", again)
	}
}

// serveOnce runs maeul until it serves, stops it, and returns what it
// printed.
func serveOnce(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd, _, printed := startMaeul(t, bin, "Maeul is serving", args...)
	cmd.Process.Kill()
	cmd.Wait()
	return printed
}

// TestServeDemoWritesMessagesToAFile: `serve --demo` prints where it writes
// messages; a citizen signs in with the code read there, as whoever runs the
// demo does, while the file stays readable by its owner only and the
// outbox's API shows no code. A second start writes to the same file.
func TestServeDemoWritesMessagesToAFile(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildMaeul(t)
	dbPath := filepath.Join(t.TempDir(), "demo.db")
	cmd, addr, out := startMaeul(t, bin, "Maeul is serving", "serve", "--demo", "--db", "sqlite:"+dbPath)
	file := dbPath + ".messages.jsonl"
	if !strings.Contains(out, "Messages, sign-in codes included, are written to "+file+" (mode 0600)") {
		t.Fatalf("the messages file is not printed:\n%s", out)
	}
	m := regexp.MustCompile(`such as (010-\d{4}-\d{4})`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no sample phone in:\n%s", out)
	}
	base := "http://" + addr
	const csrf = "serve-demo-file-csrf-token-0123456789"
	post := func(path string, form url.Values, cookies ...string) *http.Response {
		t.Helper()
		form.Set("csrf", csrf)
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", strings.Join(append([]string{"maeul_csrf=" + csrf}, cookies...), "; "))
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	if resp := post("/login/phone", url.Values{"phone": {m[1]}}); resp.StatusCode != http.StatusOK {
		t.Fatalf("send code: %s", resp.Status)
	}
	phone := "+82" + strings.TrimPrefix(strings.ReplaceAll(m[1], "-", ""), "0")
	msgs, err := notify.ReadFile(file)
	code := ""
	for _, msg := range msgs {
		if msg.Recipient == phone {
			code = regexp.MustCompile(`\d{6}`).FindString(msg.Body)
		}
	}
	if err != nil || code == "" {
		t.Fatalf("no code for %s in the messages file (%d messages): %v", phone, len(msgs), err)
	}
	if info, err := os.Stat(file); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("messages file mode %v %v, want 0600", info.Mode(), err)
	}
	var session string
	for _, c := range post("/login/code", url.Values{"phone": {phone}, "code": {code}}).Cookies() {
		if c.Name == auth.CookieName {
			session = c.Value
		}
	}
	if session == "" {
		t.Fatal("the code from the messages file did not sign in")
	}

	// The centre admin's outbox API shows the message, without its code.
	password := regexp.MustCompile(`(?m)^\s+centre_admin\s+centre\s+(\S+)$`).FindStringSubmatch(out)
	if password == nil {
		t.Fatalf("no centre admin password in:\n%s", out)
	}
	var staff string
	for _, c := range post("/login/staff", url.Values{"username": {"centre"}, "password": {password[1]}}).Cookies() {
		if c.Name == auth.CookieName {
			staff = c.Value
		}
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/outbox?to="+url.QueryEscape(phone), nil)
	req.Header.Set("Cookie", auth.CookieName+"="+staff)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"kind":"login_code"`) || strings.Contains(string(body), code) {
		t.Fatalf("outbox API: %s %s", resp.Status, body)
	}
	cmd.Process.Kill()
	cmd.Wait()

	if again := serveOnce(t, bin, "serve", "--db", "sqlite:"+dbPath); !strings.Contains(again, "written to "+file) {
		t.Fatalf("a second start on the demo database does not write to the same file:\n%s", again)
	}
}

func TestMessagesFile(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		flag, dsn string
		demo      bool
		want      string
	}{
		{"/srv/maeul/messages.jsonl", "postgres://h/db", false, "/srv/maeul/messages.jsonl"},
		{"/srv/maeul/messages.jsonl", "sqlite:maeul.db", true, "/srv/maeul/messages.jsonl"},
		{"", "sqlite:maeul.db", false, ""},
		{"", "sqlite:/data/maeul.db", true, "/data/maeul.db.messages.jsonl"},
	} {
		if got, err := messagesFile(c.flag, c.dsn, c.demo); err != nil || got != c.want {
			t.Errorf("messagesFile(%q, %q, %v) = %q, %v; want %q", c.flag, c.dsn, c.demo, got, err, c.want)
		}
	}
	for _, dsn := range []string{"postgres://h/db", "sqlite::memory:"} {
		got, err := messagesFile("", dsn, true)
		if err != nil || !strings.HasPrefix(got, os.TempDir()) || filepath.Base(got) != "messages.jsonl" {
			t.Errorf("%s: %q %v, want a file in a new temporary directory", dsn, got, err)
		}
		os.RemoveAll(filepath.Dir(got))
	}
}
