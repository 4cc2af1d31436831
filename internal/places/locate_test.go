package places

import (
	"context"
	"testing"

	"github.com/maeul/maeul/internal/city"
	"github.com/maeul/maeul/internal/db/dbtest"
)

func TestLocate(t *testing.T) {
	s := New(dbtest.SQLite(t))
	ctx := context.Background()
	var u1 city.Dong
	var uDongs []city.Dong
	for _, d := range city.Dongs() {
		if d.District() == "21090" && len(d.NameKo) > 0 && d.NameKo[:len("우")] == "우" && numberedKo.MatchString(d.NameKo) {
			uDongs = append(uDongs, d)
			if d.NameKo == "우1동" {
				u1 = d
			}
		}
	}
	if len(uDongs) < 2 || u1.Code == "" {
		t.Fatalf("Haeundae's 우N동 not found: %v", uDongs)
	}
	cases := []struct {
		text  string
		names []string
	}{
		{"부산광역시 해운대구 우1동", []string{"해운대구 우1동"}},
		{"우1동", []string{"해운대구 우1동"}},
		{"해운대구 우동 123-4", []string{"해운대구 우동"}},
		{"U 1(il)-dong", []string{"해운대구 우1동"}},
		{"없는마을", nil},
		{"동", nil},
	}
	for _, c := range cases {
		got, err := s.Locate(ctx, c.text)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range got {
			names = append(names, p.NameKo)
		}
		if len(names) != len(c.names) || (len(names) > 0 && names[0] != c.names[0]) {
			t.Errorf("Locate(%q) = %q, want %q", c.text, names, c.names)
		}
	}
	// 우동 is the middle of its numbered dongs.
	got, _ := s.Locate(ctx, "해운대구 우동")
	var mid Point
	for _, d := range uDongs {
		mid.Lon += d.Centroid[0] / float64(len(uDongs))
		mid.Lat += d.Centroid[1] / float64(len(uDongs))
	}
	if Metres(got[0].At, mid) > 1 {
		t.Errorf("우동 at %v, want the middle of its dongs %v", got[0].At, mid)
	}
	// Coordinates, either order.
	for _, text := range []string{"35.16310, 129.16040", "129.16040, 35.16310"} {
		got, _ := s.Locate(ctx, text)
		if len(got) != 1 || Metres(got[0].At, Point{Lon: 129.1604, Lat: 35.1631}) > 0.5 {
			t.Errorf("Locate(%q) = %+v", text, got)
		}
	}
}
