package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/maeul/maeul/internal/identity"
)

func runKeys(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || (args[0] != "list" && args[0] != "rotate") {
		fmt.Fprintln(stdout, "Usage:\n  maeul keys list   [--db DSN]                    the issuer keys verifiers may meet\n  maeul keys rotate [--db DSN] [--issuer-secret S] start signing with a new key")
		fmt.Fprintln(stdout, "\nA rotated-out key stays published until every card it signed has expired.")
		return nil
	}
	fs := newFlags("keys "+args[0], "keys "+args[0]+" [flags]")
	dsn := fs.String("db", "sqlite:maeul.db", dbHelp)
	secretFlag := fs.String("issuer-secret", "", "base64 secret sealing the issuer's private keys (MAEUL_ISSUER_SECRET)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	d, secret, err := openWithSecret(ctx, *dsn, *secretFlag)
	if err != nil {
		return err
	}
	defer d.Close()
	keys := identity.NewKeys(d, secret)
	if args[0] == "rotate" {
		if secret == nil {
			return errors.New("rotating needs the issuer secret: set --issuer-secret or MAEUL_ISSUER_SECRET")
		}
		s, err := keys.Rotate(ctx, identity.CardLifetime)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "New signing key %s. Earlier keys stay published for %d days.\n", s.Kid, int(identity.CardLifetime.Hours()/24))
	}
	pubs, err := keys.Published(ctx)
	if err != nil {
		return err
	}
	for _, p := range pubs {
		state := "signing"
		if !p.RetiredAt.IsZero() {
			state = "retired, published until " + p.PublishUntil.Format("2006-01-02")
		}
		fmt.Fprintf(stdout, "%s  created %s  %s\n", p.Kid, p.CreatedAt.Format("2006-01-02"), state)
	}
	return nil
}
