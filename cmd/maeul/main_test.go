package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"strings"
	"testing"
)

func TestEveryCommandHasHelp(t *testing.T) {
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
