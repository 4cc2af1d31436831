package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/maeul/maeul/internal/practice"
)

func runPractice(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "validate" {
		fmt.Fprintln(stdout, `Usage: maeul practice validate [--lang ko|en] FILE.yaml|DIR ...

Checks practice-emulator scenario files as the platform does when it starts:
every problem with its file and line. A file named sets.yaml is checked as
challenge sets, against the emulators that come with Maeul and the files
given with it. A directory is checked as serve --practice-dir would load it.
The emulators that come with Maeul are in internal/practice/scenarios/.`)
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return nil
		}
		return errors.New("say what to do: validate")
	}
	fs := newFlags("practice validate", "practice validate [--lang ko|en] FILE.yaml|DIR ...")
	lang := fs.String("lang", "ko", "language of the messages: ko or en")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("no files given")
	}
	builtin, err := practice.Builtin()
	if err != nil {
		return err
	}
	failed := 0
	report := func(prefix string, err error) error {
		fes := fileErrors(err)
		if len(fes) == 0 {
			return err
		}
		failed++
		for _, fe := range fes {
			for _, p := range fe.Problems.Problems {
				fmt.Fprintf(stdout, "%s:%d: %s (%s)\n", filepath.Join(prefix, fe.File), p.Line, p.Text(*lang), p.Column)
			}
		}
		return nil
	}
	scenarios := builtin
	var setsFiles []string
	for _, name := range fs.Args() {
		if st, err := os.Stat(name); err == nil && st.IsDir() {
			all, sets, err := practice.Load(os.DirFS(name))
			if err != nil {
				if err := report(name, err); err != nil {
					return err
				}
				continue
			}
			fmt.Fprintf(stdout, "%s: ok — %d emulators and %d sets with those of Maeul\n", name, len(all), len(sets))
			continue
		}
		if filepath.Base(name) == practice.SetsFile {
			setsFiles = append(setsFiles, name)
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		s, err := practice.Parse(name, data)
		if err != nil {
			if err := report("", err); err != nil {
				return err
			}
			continue
		}
		scenarios = append(scenarios, s)
		fmt.Fprintf(stdout, "%s: ok — %s, %d screens, %d tasks\n", name, s.ID, len(s.Screens), len(s.Tasks))
	}
	for _, name := range setsFiles {
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		sets, err := practice.ParseSets(name, data, scenarios)
		if err != nil {
			if err := report("", err); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(stdout, "%s: ok — %d sets\n", name, len(sets))
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d refused", failed, fs.NArg())
	}
	return nil
}

// fileErrors are the refused files in err, which may join several.
func fileErrors(err error) []*practice.FileError {
	var fe *practice.FileError
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*practice.FileError
		for _, e := range joined.Unwrap() {
			out = append(out, fileErrors(e)...)
		}
		return out
	}
	if errors.As(err, &fe) {
		return []*practice.FileError{fe}
	}
	return nil
}
