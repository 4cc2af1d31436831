package main

import (
	"context"
	"fmt"
	"io"

	"github.com/maeul/maeul/internal/db"
)

func runMigrate(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("migrate", "migrate [--db DSN]")
	dsn := fs.String("db", "sqlite:maeul.db", dbHelp)
	if err := parse(fs, args); err != nil {
		return err
	}
	d, err := db.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	n, err := d.Migrate(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Applied %d migration(s); the database is up to date.\n", n)
	return nil
}
