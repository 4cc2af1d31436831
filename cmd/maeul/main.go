// Command maeul is the whole Maeul platform in one binary.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout io.Writer) error
}

var commands = []command{
	{"serve", "run the web server (with --demo: load the demo city first)", runServe},
	{"migrate", "apply database migrations and exit", runMigrate},
	{"backup", "write a consistent copy of the running database to a file (maeul backup --out FILE)", runBackup},
	{"user", "create staff accounts and reset passwords (maeul user create --role sysadmin ...)", runUser},
	{"import", "import courses or sessions from CSV files", runImport},
	{"demo", "generate the demo city into a database and exit", runDemo},
	{"keys", "list or rotate the city's credential-signing keys", runKeys},
	{"wallet", "a command-line holder: receive and present citizen cards", runWallet},
	{"ledger", "audit a running Maeul's ledger, or check a receipt offline", runLedger},
	{"funds", "policy funds operations: disburse, settle, reconcile, expire (maeul funds --help)", runFunds},
	{"bench", "measure catalogue and registration speed on loopback", runBench},
	{"practice", "check practice-emulator scenario files (maeul practice validate FILE.yaml)", runPractice},
	{"witness", "run a transparency-log witness that cosigns checkpoints (C2SP tlog-witness)", runWitness},
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Maeul — an integrated citizen platform for a city (Busan Digital Learning Center).")
	fmt.Fprintln(w, "\nUsage: maeul <command> [flags]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'maeul <command> --help' for the flags of a command. Every flag can also be set")
	fmt.Fprintln(w, "with an environment variable: --db is MAEUL_DB, --addr is MAEUL_ADDR, and so on.")
	fmt.Fprintln(w, "\nStart here:  maeul serve --demo   then open http://127.0.0.1:8080")
}

func main() {
	slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: logLevel()})))
	if len(os.Args) < 2 || os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "help" {
		usage(os.Stdout)
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	for _, c := range commands {
		if c.name == os.Args[1] {
			err := c.run(ctx, os.Args[2:], os.Stdout)
			if errors.Is(err, flag.ErrHelp) {
				return
			}
			if err != nil {
				fmt.Fprintf(os.Stderr, "maeul %s: %v\n", c.name, err)
				os.Exit(1)
			}
			return
		}
	}
	fmt.Fprintf(os.Stderr, "maeul: unknown command %q\n\n", os.Args[1])
	usage(os.Stderr)
	os.Exit(2)
}

func logLevel() slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(os.Getenv("MAEUL_LOG_LEVEL"))); err != nil {
		return slog.LevelInfo
	}
	return l
}
