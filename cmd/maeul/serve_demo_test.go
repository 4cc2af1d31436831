package main

import (
	"bufio"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/funds"
)

// TestServeDemoOpensTheDemoShops: the first `serve --demo` opens the
// academy, the bookshop and the theatre, approved, each run by a demo
// account whose phone it prints; a second start adds nothing.
func TestServeDemoOpensTheDemoShops(t *testing.T) {
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
	d.Close()
	if again := serveOnce(t, bin, "serve", "--demo", "--db", dsn); strings.Contains(again, "Demo shops") {
		t.Fatalf("a second start opened shops again:\n%s", again)
	}
}

// serveOnce runs maeul until it serves and returns what it printed.
func serveOnce(t *testing.T, bin string, args ...string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, append(args, "--addr", addr)...)
	cmd.Env = append(os.Environ(), "MAEUL_LOG_LEVEL=warn")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	defer func() {
		cmd.Process.Kill()
		for range lines {
			// The pipe is read to its end before Wait closes it.
		}
		cmd.Wait()
	}()
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	var b strings.Builder
	deadline := time.After(3 * time.Minute)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("maeul stopped before serving:\n%s", b.String())
			}
			b.WriteString(l + "\n")
			if strings.Contains(l, "Maeul is serving") {
				return b.String()
			}
		case <-deadline:
			t.Fatalf("maeul did not serve within 3 minutes:\n%s", b.String())
		}
	}
}
