package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/web"
)

func TestEveryCommandHasHelp(t *testing.T) {
	t.Parallel()
	for _, c := range commands {
		if c.name == "user" || c.name == "keys" || c.name == "wallet" || c.name == "ledger" || c.name == "witness" || c.name == "practice" {
			continue // print their own usage without flags
		}
		var out bytes.Buffer
		err := c.run(context.Background(), []string{"--help"}, &out)
		if !errors.Is(err, flag.ErrHelp) {
			t.Errorf("maeul %s --help: %v", c.name, err)
		}
	}
	var out bytes.Buffer
	usage(&out)
	for _, c := range commands {
		if !strings.Contains(out.String(), c.name) {
			t.Errorf("usage does not list %s", c.name)
		}
	}
}

func TestFlagsReadEnvironment(t *testing.T) {
	t.Setenv("MAEUL_DB", "sqlite:/from/env.db")
	t.Setenv("MAEUL_SECURE_COOKIES", "true")
	fs := newFlags("x", "x")
	dsn := fs.String("db", "sqlite:maeul.db", "")
	secure := fs.Bool("secure-cookies", false, "")
	addr := fs.String("addr", "127.0.0.1:8080", "")
	if err := parse(fs, []string{"--addr", "0.0.0.0:9"}); err != nil {
		t.Fatal(err)
	}
	if *dsn != "sqlite:/from/env.db" || !*secure || *addr != "0.0.0.0:9" {
		t.Fatalf("db=%q secure=%v addr=%q", *dsn, *secure, *addr)
	}
	t.Setenv("MAEUL_SECURE_COOKIES", "maybe")
	fs = newFlags("x", "x")
	fs.Bool("secure-cookies", false, "")
	if err := parse(fs, nil); err == nil {
		t.Fatal("a malformed environment value was accepted")
	}
}

// serve --trusted-proxies, or MAEUL_TRUSTED_PROXIES, names the proxies whose
// forwarding headers are believed; a range that does not parse stops the
// start.
func TestTrustedProxiesFlag(t *testing.T) {
	t.Setenv("MAEUL_TRUSTED_PROXIES", "10.0.0.0/8, 2001:db8::/32")
	fs := newFlags("x", "x")
	var proxies web.TrustedProxies
	fs.Var(&proxies, "trusted-proxies", "")
	if err := parse(fs, nil); err != nil {
		t.Fatal(err)
	}
	if proxies.String() != "10.0.0.0/8,2001:db8::/32" {
		t.Fatalf("from the environment: %s", proxies)
	}
	if err := parse(fs, []string{"--trusted-proxies", "192.0.2.7"}); err != nil || proxies.String() != "192.0.2.7/32" {
		t.Fatalf("the flag over the environment: %s %v", proxies, err)
	}
	t.Setenv("MAEUL_TRUSTED_PROXIES", "proxy.example")
	fs = newFlags("x", "x")
	fs.Var(&proxies, "trusted-proxies", "")
	if err := parse(fs, nil); err == nil || !strings.Contains(err.Error(), "MAEUL_TRUSTED_PROXIES") {
		t.Fatalf("a malformed range: %v", err)
	}
	var out strings.Builder
	if err := runServe(context.Background(), []string{"--trusted-proxies", "10.0.0.0/40"}, &out); err == nil {
		t.Fatal("serve started with a malformed range")
	}
}
