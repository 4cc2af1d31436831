package guides

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/maeul/maeul/internal/db"
	"github.com/maeul/maeul/internal/db/dbtest"
	"github.com/maeul/maeul/internal/sheet"
)

func TestParseHotspots(t *testing.T) {
	t.Parallel()
	f, err := ParseHotspots(strings.NewReader("\ufeff" + threeSpots))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Hotspots) != 3 || f.Lines[0] != 2 || f.Lines[1] != 4 {
		t.Fatalf("hotspots %d, lines %v", len(f.Hotspots), f.Lines)
	}
	stn := f.Hotspots[0]
	if stn.NameEn != "Seomyeon Station" || stn.Kind != Station || stn.Zone != "Z1" || stn.At.Lat != 35.1578 {
		t.Errorf("station: %+v", stn)
	}
	if stn.Profile[0][9] != 300 || stn.Profile[4][11] != 300 || stn.Profile[5][10] != 100 || stn.Profile[6][9] != 0 || stn.Profile[6][11] != 100 {
		t.Errorf("station profile: %v", stn.Profile)
	}
	ctr := f.Hotspots[2]
	if ctr.Profile[2][12] != 80 || ctr.Profile[5][12] != 0 || ctr.Profile[6][12] != 0 {
		t.Errorf("a day without a row must expect nobody: %v", ctr.Profile)
	}
}

func TestParseHotspotsReportsEveryProblemByLine(t *testing.T) {
	t.Parallel()
	bad := header + "\n" +
		"a,mon-fri,가,station,35.1,129.0,,Z1," + hoursRow(10, 9) + "\n" + // 2: fine
		"a,mon,,,,,,," + hoursRow(10, 9) + "\n" + // 3: Monday twice
		"b,someday,나,market,35.1,129.0,,," + hoursRow(10, 9) + "\n" + // 4: days
		"c,all,다,castle,35.1,129.0,,," + hoursRow(10, 9) + "\n" + // 5: kind
		"d,all,라,park,north,129.0,,," + hoursRow(10, 9) + "\n" + // 6: coordinates
		"e,all,마,park,35.1,129.0,,," + strings.Replace(hoursRow(10, 9), "10", "-4", 1) + "\n" + // 7: h09
		"a,sat,다른 이름,,,,,," + hoursRow(10, 9) + "\n" + // 8: differs from line 2
		"f f,all,바,park,35.1,129.0,,," + hoursRow(10, 9) + "\n" + // 9: ref
		"g,all,,park,35.1,129.0,,," + hoursRow(10, 9) + "\n" // 10: name
	_, err := ParseHotspots(strings.NewReader(bad))
	var se *sheet.Error
	if !errors.As(err, &se) {
		t.Fatalf("err = %v", err)
	}
	var got []string
	for _, p := range se.Problems {
		got = append(got, fmt.Sprintf("%d %s %s", p.Line, p.Column, p.Key))
	}
	want := []string{
		"3 days guides.day_twice", "4 days guides.days_invalid", "5 kind guides.kind_invalid", "6 lat guides.coordinates_invalid",
		"7 h09 guides.people_range", "8 name_ko guides.differs_from_first", "9 ref guides.ref_invalid", "10 name_ko guides.name_required",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, p := range se.Problems {
		if strings.HasPrefix(p.Text("ko"), "guides.") || strings.HasPrefix(p.Text("en"), "guides.") {
			t.Errorf("problem %s has no message", p.Key)
		}
	}

	_, err = ParseHotspots(strings.NewReader("ref,days,name_ko,kind,lat,colour\n"))
	if !errors.As(err, &se) || len(se.Problems) != 2 || se.Problems[0].Column != "colour" || se.Problems[1].Column != "lon" {
		t.Errorf("header problems: %v", err)
	}
}

func TestImportIsAllOrNothingAndUpdatesByRef(t *testing.T) {
	t.Parallel()
	dbtest.Backends(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		hs := f.hotspots(threeSpots)
		if len(hs) != 3 {
			t.Fatalf("%d hotspots", len(hs))
		}
		// The same file again with the market busier and a new park, and
		// one bad row: nothing changes.
		changed := strings.Replace(threeSpots, hoursRow(200, 9, 10), hoursRow(250, 9, 10), 1) +
			"park,all,시민공원,park,35.168,129.057,Citizens Park,Z2," + hoursRow(90, 6, 7) + "\n"
		if _, err := f.svc.ImportCSV(f.admin, strings.NewReader(changed+"bad,all,,park,1,1,,,\n")); err == nil {
			t.Fatal("a file with a bad row was imported")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM guide_hotspots`); n != 3 {
			t.Fatalf("a refused file wrote %d hotspots", n)
		}
		res, err := f.svc.ImportCSV(f.admin, strings.NewReader(changed))
		if err != nil || res.Created != 1 || res.Updated != 3 {
			t.Fatalf("import: %+v %v", res, err)
		}
		after := f.hotspots(changed)
		if after["mkt"].ID != hs["mkt"].ID || after["mkt"].Profile[0][9] != 250 || after["park"].Profile[6][7] != 90 {
			t.Errorf("update: %+v", after["mkt"].Profile[0])
		}
		if _, err := f.svc.ImportCSV(f.staff("guide", "안내사"), strings.NewReader(changed)); err == nil {
			t.Error("a guide imported hotspots")
		}
	})
}

func TestWriteHotspotsReadsBack(t *testing.T) {
	t.Parallel()
	f, err := ParseHotspots(strings.NewReader(threeSpots))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteHotspots(&buf, f.Hotspots); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "stn,mon tue wed thu fri,서면역") || !strings.Contains(buf.String(), "ctr,sat sun,,,") {
		t.Errorf("export:\n%s", buf.String())
	}
	g, err := ParseHotspots(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for i := range f.Hotspots {
		if f.Hotspots[i] != g.Hotspots[i] {
			t.Errorf("hotspot %d: %+v, read back %+v", i, f.Hotspots[i], g.Hotspots[i])
		}
	}
}
