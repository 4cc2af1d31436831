package demo

import (
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/maeul/maeul/internal/city"
)

var testNow = time.Date(2025, 11, 23, 10, 0, 0, 0, time.FixedZone("KST", 9*3600))

func ageAt(birth, now time.Time) int {
	a := now.Year() - birth.Year()
	if now.Month() < birth.Month() || now.Month() == birth.Month() && now.Day() < birth.Day() {
		a--
	}
	return a
}

// within reports whether got, a count out of n, is within k standard
// errors of the expected share p.
func within(got, n int, p, k float64) bool {
	return math.Abs(float64(got)-float64(n)*p) <= k*math.Sqrt(float64(n)*p*(1-p))
}

func TestPeopleDeterministic(t *testing.T) {
	t.Parallel()
	a := People(42, 1000, testNow)
	b := People(42, 1000, testNow)
	if !slices.Equal(a, b) {
		t.Fatal("same seed gave different people")
	}
	if !slices.Equal(a[:100], People(42, 100, testNow)) {
		t.Error("the first 100 of 1,000 differ from 100 asked for alone")
	}
	c := People(43, 1000, testNow)
	same := 0
	for i := range a {
		if a[i] == c[i] {
			same++
		}
	}
	if same > 0 {
		t.Errorf("seeds 42 and 43 share %d identical people", same)
	}
	if len(People(1, 0, testNow)) != 0 || len(People(1, -3, testNow)) != 0 {
		t.Error("no people asked for, some given")
	}
}

func TestPeopleFields(t *testing.T) {
	t.Parallel()
	phoneRE := regexp.MustCompile(`^\+821000\d{6}$`)
	codes := map[string]bool{}
	for _, d := range city.Districts() {
		codes[d.Code] = true
	}
	for _, p := range People(7, 5000, testNow) {
		if !phoneRE.MatchString(p.Phone) {
			t.Fatalf("phone %q is not +82 10-00xx-xxxx", p.Phone)
		}
		if utf8.RuneCountInString(p.Name) != 3 {
			t.Fatalf("name %q is not surname and two syllables", p.Name)
		}
		for _, r := range p.Name {
			if r < '가' || r > '힣' {
				t.Fatalf("name %q has a non-Hangul rune %q", p.Name, r)
			}
		}
		if p.Sex != "F" && p.Sex != "M" {
			t.Fatalf("sex %q", p.Sex)
		}
		if !codes[p.District] {
			t.Fatalf("district %q is not a city district", p.District)
		}
		if a := ageAt(p.BirthDate, testNow); a < 19 || a > 94 {
			t.Fatalf("age %d out of 19–94", a)
		}
		if p.BirthDate.Location() != testNow.Location() || p.BirthDate.Hour() != 0 {
			t.Fatalf("birth date %v is not a midnight in now's zone", p.BirthDate)
		}
	}
}

func TestPeoplePhonesUnique(t *testing.T) {
	t.Parallel()
	const n = 100_000
	seen := make(map[string]struct{}, n)
	for _, p := range People(1, n, testNow) {
		if _, dup := seen[p.Phone]; dup {
			t.Fatalf("phone %s given twice", p.Phone)
		}
		seen[p.Phone] = struct{}{}
	}
}

func TestPeopleTooMany(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("no panic for more people than phone numbers")
		}
	}()
	People(1, MaxPeople+1, testNow)
}

func TestPeopleMix(t *testing.T) {
	t.Parallel()
	const n = 20_000
	people := People(2025, n, testNow)
	var young, middle, older, over65, disabled, disabled65, disabledUnder65, women, kims int
	for _, p := range people {
		a := ageAt(p.BirthDate, testNow)
		switch {
		case a < 40:
			young++
		case a < 60:
			middle++
		default:
			older++
		}
		if a >= 65 {
			over65++
		}
		if p.Disability {
			disabled++
			if a >= 65 {
				disabled65++
			} else {
				disabledUnder65++
			}
		}
		if p.Sex == "F" {
			women++
		}
		if []rune(p.Name)[0] == '김' {
			kims++
		}
	}
	for _, c := range []struct {
		what string
		got  int
		want float64
	}{
		{"aged 19–39", young, 0.08},
		{"aged 40–59", middle, 0.27},
		{"aged 60+", older, 0.65},
		{"aged 65+", over65, 0.50},
		{"Kim", kims, 0.215 / 0.903},
	} {
		if !within(c.got, n, c.want, 5) {
			t.Errorf("%s: %d of %d, want about %.1f%%", c.what, c.got, n, 100*c.want)
		}
	}
	// The bands are designed for 6–7% overall; the sample must match them.
	var want float64
	for _, b := range ageBands {
		want += float64(b.permille) * float64(b.disability) / 1e6
	}
	if want < 0.06 || want > 0.07 {
		t.Errorf("age bands give a disability rate of %.2f%%, want 6–7%%", 100*want)
	}
	if !within(disabled, n, want, 5) {
		t.Errorf("disability: %d of %d, want about %.2f%%", disabled, n, 100*want)
	}
	if r65, rUnder := float64(disabled65)/float64(over65), float64(disabledUnder65)/float64(n-over65); r65 < 1.5*rUnder {
		t.Errorf("disability rate 65+ %.1f%% is not clearly above under-65 %.1f%%", 100*r65, 100*rUnder)
	}
	if share := float64(women) / n; share < 0.55 || share > 0.62 {
		t.Errorf("women are %.1f%%, want a majority of about 58%%", 100*share)
	}
}

func TestPeopleDistrictWeighting(t *testing.T) {
	t.Parallel()
	const n = 50_000
	count := map[string]int{}
	for _, p := range People(99, n, testNow) {
		count[p.District]++
	}
	total := 0
	for _, d := range city.Districts() {
		total += d.Population
	}
	for _, d := range city.Districts() {
		if p := float64(d.Population) / float64(total); !within(count[d.Code], n, p, 5) {
			t.Errorf("%s: %d of %d, want about %.0f", d.NameEn, count[d.Code], n, p*n)
		}
	}
}

// Given names must fit the generation: nobody born before 1960 is called
// by a name that only became common after 1980.
func TestPeopleNamesFitGeneration(t *testing.T) {
	t.Parallel()
	young := map[string]bool{}
	for _, bySex := range givenNames[born1980On] {
		for _, n := range bySex {
			young[n.name] = true
		}
	}
	for _, bySex := range givenNames[bornBefore1960] {
		for _, n := range bySex {
			delete(young, n.name)
		}
	}
	for _, p := range People(5, 5000, testNow) {
		if p.BirthDate.Year() < 1960 && young[string([]rune(p.Name)[1:])] {
			t.Errorf("%s, born %d, has a name of the 1980s on", p.Name, p.BirthDate.Year())
		}
	}
}

func TestBirthDateGivesAge(t *testing.T) {
	t.Parallel()
	nows := []time.Time{
		testNow,
		time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC), // leap day
		time.Date(2027, 2, 28, 23, 59, 0, 0, time.UTC),
		time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC),
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, now := range nows {
		for _, age := range []int{19, 20, 63, 64, 65, 94} {
			for range 400 {
				if b := birthDate(r, now, age); ageAt(b, now) != age {
					t.Fatalf("born %s is %d on %s, want %d", b.Format(time.DateOnly), ageAt(b, now), now.Format(time.DateOnly), age)
				}
			}
		}
	}
}

func TestPeopleFast(t *testing.T) {
	// Not parallel: it measures time.
	// The best of a few runs, so that a busy machine does not fail it.
	best := time.Hour
	for range 3 {
		start := time.Now()
		People(1, 5000, testNow)
		best = min(best, time.Since(start))
	}
	if best > 100*time.Millisecond {
		t.Errorf("5,000 people took %v, want well under 100 ms", best)
	}
}

func BenchmarkPeople(b *testing.B) {
	for b.Loop() {
		People(1, 5000, testNow)
	}
}
