package main

import (
	"context"
	"io"

	"github.com/maeul/maeul/internal/demo"
)

func runDemo(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("demo", "demo [--db DSN]")
	dsn := fs.String("db", "sqlite:maeul.db", dbHelp)
	if err := parse(fs, args); err != nil {
		return err
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	res, err := demo.Generate(ctx, d, demo.Options{Progress: stdout})
	if err != nil {
		return err
	}
	if res.Created {
		demo.PrintAccounts(stdout, res)
	}
	return nil
}
