package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/maeul/maeul/internal/actor"
	"github.com/maeul/maeul/internal/auth"
	"github.com/maeul/maeul/internal/city"
	"github.com/maeul/maeul/internal/guides"
	"github.com/maeul/maeul/internal/identity"
	"github.com/maeul/maeul/internal/learn"
	"github.com/maeul/maeul/internal/notify"
	"github.com/maeul/maeul/internal/places"
	"github.com/maeul/maeul/internal/progress"
	"github.com/maeul/maeul/internal/sheet"
)

func runImport(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "osm" {
		return runImportOSM(ctx, args[1:], stdout)
	}
	fs := newFlags("import", "import [--db DSN] [--lang ko|en] FILE.csv|FILE.geojson ...\n\nImports courses, sessions, the resident registry, facilities, events or the digital\nguides' hotspots (the kind is read from the header row), or living zones or facilities\nfrom GeoJSON. Each file is\nchecked whole and written in one transaction: a file with any bad row writes nothing,\nand every problem is listed with its line number.")
	dsn := fs.String("db", "sqlite:maeul.db", dbHelp)
	lang := fs.String("lang", "ko", "language of the messages: ko or en")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("no files given")
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	users := auth.NewUsers(d)
	im := importers{learn: learn.New(d, users, notify.New(d, users, nil)), registry: identity.NewRegistry(d), places: places.New(d),
		guides: guides.NewService(d, guides.Options{})}
	ctx = actor.With(ctx, &actor.Actor{Person: actor.Person{Name: "maeul import", Role: actor.CentreAdmin}, Channel: "cli"})
	failed := false
	for _, name := range fs.Args() {
		if err := importFile(ctx, im, name, *lang, stdout); err != nil {
			failed = true
			fmt.Fprintf(stdout, "%s: %v\n", name, err)
		}
	}
	if failed {
		return errors.New("some files were not imported")
	}
	return nil
}

// importers are the parts a file may be for.
type importers struct {
	learn    *learn.Service
	registry *identity.Registry
	places   *places.Service
	guides   *guides.Service
}

func importFile(ctx context.Context, im importers, name, lang string, stdout io.Writer) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	header, _ := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))).Read()
	if identity.IsRegistrySheet(header) {
		return importRegistry(ctx, im.registry, name, lang, data, stdout)
	}
	if guides.IsHotspotSheet(header) {
		res, err := im.guides.ImportCSV(ctx, bytes.NewReader(data))
		if err != nil {
			return rejected(stdout, name, lang, err)
		}
		fmt.Fprintf(stdout, "%s: %d hotspot(s): %d created, %d updated.\n", name, res.Rows, res.Created, res.Updated)
		return nil
	}
	if isPlacesFile(data, header) {
		return importPlaces(ctx, im.places, name, lang, data, stdout)
	}
	file, err := learn.ParseImport(bytes.NewReader(data))
	if err != nil {
		return rejected(stdout, name, lang, err)
	}
	bar := progress.New(stdout, name, file.Rows())
	done := 0
	res, err := im.learn.Import(ctx, file, func(n, _ int) {
		bar.Add(n - done)
		done = n
	})
	bar.Done()
	if err != nil {
		return rejected(stdout, name, lang, err)
	}
	fmt.Fprintf(stdout, "%s: %d %s row(s): %d created, %d updated, %d unchanged, %d people told of changes.\n",
		name, res.Rows, res.Kind, res.Created, res.Updated, res.Unchanged, res.Notified)
	return nil
}

func runImportOSM(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("import osm", "import osm [--db DSN] FILE.osm.pbf\n\nMakes an OpenStreetMap extract the city's street map: walking times then follow its\nfootways and streets (step-free when asked) instead of the straight-line estimate.\nEvery instance picks it up within a second.")
	dsn := fs.String("db", "sqlite:maeul.db", dbHelp)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("give one .osm.pbf file")
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	st, err := places.New(d).ImportStreets(ctx, filepath.Base(fs.Arg(0)), data)
	if err != nil {
		return explain(err)
	}
	fmt.Fprintf(stdout, "%s: %d walkable ways, %d nodes, %d segments (%d not step-free)", fs.Arg(0), st.Ways, st.Nodes, st.Segments, st.NotStepFree)
	if st.ClippedWays > 0 {
		fmt.Fprintf(stdout, "; %d ways clipped at the edge of the extract", st.ClippedWays)
	}
	fmt.Fprintln(stdout, ".")
	return nil
}

// isPlacesFile reports whether a file holds zones, facilities or events:
// GeoJSON, or a sheet with a facility's category or an event's facility.
func isPlacesFile(data []byte, header []string) bool {
	if t := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n"); len(t) > 0 && t[0] == '{' {
		return true
	}
	for _, h := range header {
		if h = strings.ToLower(strings.TrimSpace(h)); h == "category" || h == "facility_ref" {
			return true
		}
	}
	return false
}

// importPlaces imports living zones, facilities or events, all or nothing.
func importPlaces(ctx context.Context, svc *places.Service, name, lang string, data []byte, stdout io.Writer) error {
	f, err := places.ParseImport(bytes.NewReader(data))
	if err != nil {
		return rejected(stdout, name, lang, err)
	}
	res, err := svc.Import(ctx, f)
	if err != nil {
		return rejected(stdout, name, lang, err)
	}
	fmt.Fprintf(stdout, "%s: %d %s: %d created, %d updated.\n", name, res.Rows, res.Kind, res.Created, res.Updated)
	return nil
}

// importRegistry imports a resident registry export, all or nothing.
func importRegistry(ctx context.Context, registry *identity.Registry, name, lang string, data []byte, stdout io.Writer) error {
	districts := map[string]bool{}
	for _, d := range city.Districts() {
		districts[d.Code] = true
	}
	rs, err := identity.ParseRegistry(bytes.NewReader(data), districts, time.Now())
	if err != nil {
		return rejected(stdout, name, lang, err)
	}
	bar := progress.New(stdout, name, 1)
	err = registry.Import(ctx, rs)
	bar.Add(1)
	bar.Done()
	if err != nil {
		return explain(err)
	}
	fmt.Fprintf(stdout, "%s: %d resident(s) imported or updated.\n", name, len(rs))
	return nil
}

// rejected lists every problem of a refused file with its line number.
func rejected(stdout io.Writer, name, lang string, err error) error {
	type problem struct {
		line       int
		column, tx string
	}
	var ps []problem
	capped := false
	var se *sheet.Error // learn.ImportError is the same type
	if !errors.As(err, &se) {
		return explain(err)
	}
	for _, p := range se.Problems {
		ps = append(ps, problem{p.Line, p.Column, p.Text(lang)})
	}
	capped = se.Capped
	fmt.Fprintf(stdout, "%s: nothing imported; %d problem(s):\n", name, len(ps))
	for _, p := range ps {
		fmt.Fprintf(stdout, "  line %d, %s: %s\n", p.line, p.column, p.tx)
	}
	if capped {
		fmt.Fprintln(stdout, "  … and more")
	}
	return errors.New("file rejected")
}
