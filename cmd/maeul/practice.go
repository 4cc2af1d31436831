package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/maeul/maeul/internal/practice"
)

func runPractice(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "validate" {
		fmt.Fprintln(stdout, "Usage: maeul practice validate [--lang ko|en] FILE.yaml ...\n\nChecks practice-emulator scenario files as the platform does when it starts:\nevery problem with its file and line. The emulators that come with Maeul are in\ninternal/practice/scenarios/.")
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return nil
		}
		return errors.New("say what to do: validate")
	}
	fs := newFlags("practice validate", "practice validate [--lang ko|en] FILE.yaml ...")
	lang := fs.String("lang", "ko", "language of the messages: ko or en")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("no files given")
	}
	failed := 0
	for _, name := range fs.Args() {
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		s, err := practice.Parse(name, data)
		var fe *practice.FileError
		switch {
		case errors.As(err, &fe):
			failed++
			for _, p := range fe.Problems.Problems {
				fmt.Fprintf(stdout, "%s:%d: %s (%s)\n", name, p.Line, p.Text(*lang), p.Column)
			}
		case err != nil:
			return err
		default:
			fmt.Fprintf(stdout, "%s: ok — %s, %d screens, %d tasks\n", name, s.ID, len(s.Screens), len(s.Tasks))
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files refused", failed, fs.NArg())
	}
	return nil
}
