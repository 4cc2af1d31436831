package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/errs"
	"github.com/maeul/maeul/internal/i18n"
)

func runUser(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "password") {
		fmt.Fprintln(stdout, "Usage:\n  maeul user create --role sysadmin --username admin --name \"관리자\" [--password ...]\n  maeul user password --username admin [--password ...]")
		fmt.Fprintln(stdout, "\nRoles:", actor.Roles)
		fmt.Fprintln(stdout, "Without --password a strong password is generated and printed once.")
		return nil
	}
	fs := newFlags("user "+args[0], "user "+args[0]+" [flags]")
	dsn := fs.String("db", "sqlite:maeul.db", dbHelp)
	role := fs.String("role", "sysadmin", "role of a new account: tutor, operator, guide, centre_admin or sysadmin")
	username := fs.String("username", "", "sign-in name (required)")
	name := fs.String("name", "", "display name (required for create)")
	password := fs.String("password", "", "password (at least 10 characters); empty: generate one")
	phone := fs.String("phone", "", "mobile number (optional)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *username == "" {
		return errors.New("--username is required")
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	pw := *password
	if pw == "" {
		pw = auth.RandomPassword()
	}
	users := auth.NewUsers(d)
	ctx = actor.With(ctx, &actor.Actor{Person: actor.Person{Name: "maeul user"}, Channel: "cli"})
	switch args[0] {
	case "create":
		u, err := users.Create(ctx, auth.NewUser{Role: actor.Role(*role), Username: *username, Name: *name, Password: pw, Phone: *phone})
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "Created %s %q (id %d).\n", u.Role, u.Username, u.ID)
	case "password":
		if err := auth.NewService(d, nil, nil).SetPassword(ctx, *username, pw); err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "Password of %q changed.\n", *username)
	}
	if *password == "" {
		fmt.Fprintf(stdout, "Password: %s\n(shown once; keep it safe)\n", pw)
	}
	return nil
}

// explain turns a safe error into its English message for the terminal.
func explain(err error) error {
	if e, ok := errs.As(err); ok {
		return errors.New(i18n.For("en").T(e.Key, e.Args...))
	}
	return err
}
