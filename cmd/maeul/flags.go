package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/maeul/maeul/internal/db"
)

// newFlags returns a flag set whose flags default to their MAEUL_* variables.
func newFlags(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: maeul %s\n\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// parse reads MAEUL_<FLAG> variables for flags not given on the command line.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] {
			return
		}
		env := "MAEUL_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if e := f.Value.Set(v); e != nil && err == nil {
				err = fmt.Errorf("%s: %w", env, e)
			}
		}
	})
	return err
}

const dbHelp = "database: sqlite:PATH or postgres://user@host/db"

// openDB opens and migrates the database.
func openDB(ctx context.Context, dsn string) (*db.DB, error) {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// openWithSecret opens and migrates the database and reads the issuer secret
// for it (loadIssuerSecret: the flag's value, or the file beside a SQLite
// database), for the commands that sign or seal as the city does.
func openWithSecret(ctx context.Context, dsn, secretFlag string) (*db.DB, []byte, error) {
	d, err := openDB(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	secret, err := loadIssuerSecret(secretFlag, dsn)
	if err != nil {
		d.Close()
		return nil, nil, err
	}
	return d, secret, nil
}
