package demo

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/maeul/maeul/internal/city"
)

// Person is a made-up citizen for the demo city. Nothing about a Person
// belongs to a real one: the phone numbers are in an unallocated range.
type Person struct {
	// Name is a Korean full name, surname and two-syllable given name,
	// with the given name in fashion when the person was born.
	Name string
	// Phone is an E.164 mobile number +82 10-00xx-xxxx. Korean mobile
	// numbers are allocated from 010-2000 upwards, so 010-00xx can reach
	// nobody if a demo sends a text by mistake, and staff can tell a demo
	// number at a glance.
	Phone string
	// BirthDate is midnight, in now's location, of the day of birth.
	BirthDate time.Time
	// Sex is "F" or "M".
	Sex string
	// District is a code from city.Districts().
	District string
	// Disability tells whether the person has a registered disability.
	Disability bool
}

// MaxPeople is the most people one call can make with distinct phone
// numbers: the 010-00xx-xxxx range holds a million.
const MaxPeople = 1_000_000

// ageBand is a span of ages with its share of the demo population and the
// chances, in per mille, of being a woman and of having a registered
// disability.
type ageBand struct {
	from, to   int
	permille   int
	female     int
	disability int
}

// ageBands follow the Digital Learning Center's audience, not the city's:
// about two-thirds are 60 or over, a quarter are 40–59 and few are younger.
// Older bands have more women, who live longer and come to classes more.
// Disability rises with age (Korea's register: a few per cent under 40,
// about one in twelve from 65), giving 6–7% overall for this age mix.
var ageBands = []ageBand{
	{from: 19, to: 39, permille: 80, female: 500, disability: 25},
	{from: 40, to: 49, permille: 90, female: 520, disability: 45},
	{from: 50, to: 59, permille: 180, female: 550, disability: 45},
	{from: 60, to: 64, permille: 150, female: 580, disability: 60},
	{from: 65, to: 69, permille: 150, female: 580, disability: 85},
	{from: 70, to: 79, permille: 250, female: 620, disability: 85},
	{from: 80, to: 94, permille: 100, female: 680, disability: 85},
}

type cohort int

const (
	bornBefore1960 cohort = iota
	born1960to1979
	born1980On
)

func cohortOf(birthYear int) cohort {
	switch {
	case birthYear < 1960:
		return bornBefore1960
	case birthYear < 1980:
		return born1960to1979
	default:
		return born1980On
	}
}

type weightedName struct {
	name   string
	weight int
}

// picker draws an index with probability proportional to its weight.
type picker struct {
	cum []int // running totals of the weights
}

func newPicker(weights []int) picker {
	cum := make([]int, len(weights))
	total := 0
	for i, w := range weights {
		total += w
		cum[i] = total
	}
	return picker{cum: cum}
}

func (p picker) pick(r *rand.Rand) int {
	x := r.IntN(p.cum[len(p.cum)-1])
	return sort.SearchInts(p.cum, x+1)
}

type namePicker struct {
	names []string
	picker
}

func newNamePicker(list []weightedName) namePicker {
	names := make([]string, len(list))
	weights := make([]int, len(list))
	for i, n := range list {
		names[i], weights[i] = n.name, n.weight
	}
	return namePicker{names: names, picker: newPicker(weights)}
}

func (p namePicker) draw(r *rand.Rand) string { return p.names[p.pick(r)] }

// The pickers are built once; People only reads them, so concurrent calls
// are safe.
var (
	surnamePicker   = newNamePicker(surnames)
	givenNamePicker = func() map[cohort]map[string]namePicker {
		m := map[cohort]map[string]namePicker{}
		for c, bySex := range givenNames {
			m[c] = map[string]namePicker{}
			for sex, list := range bySex {
				m[c][sex] = newNamePicker(list)
			}
		}
		return m
	}()
	agePicker = func() picker {
		w := make([]int, len(ageBands))
		for i, b := range ageBands {
			w[i] = b.permille
		}
		return newPicker(w)
	}()
	cityDistricts  = city.Districts()
	districtPicker = func() picker {
		w := make([]int, len(cityDistricts))
		for i, d := range cityDistricts {
			w[i] = d.Population
		}
		return newPicker(w)
	}()
)

// People makes n demo citizens, the same ones for the same seed and now,
// and the first k of them the same whatever n ≥ k. Their ages are reckoned
// at now. Phone numbers are distinct within one call, not across seeds.
// It panics if n is more than MaxPeople.
func People(seed int64, n int, now time.Time) []Person {
	if n > MaxPeople {
		panic(fmt.Sprintf("demo: People(%d) asks for more than %d people", n, MaxPeople))
	}
	r := rand.New(rand.NewPCG(uint64(seed), 0x6d6165756c)) // "maeul"
	// Phones are i·step+offset modulo a million: a bijection, so distinct
	// without a set, and scattered because step is random. The step must
	// share no factor with 10⁶, i.e. be odd and not a multiple of 5.
	step := 2*r.IntN(MaxPeople/2) + 1
	if step%5 == 0 {
		step += 2
	}
	offset := r.IntN(MaxPeople)

	people := make([]Person, max(n, 0))
	for i := range people {
		band := ageBands[agePicker.pick(r)]
		age := band.from + r.IntN(band.to-band.from+1)
		sex := "M"
		if r.IntN(1000) < band.female {
			sex = "F"
		}
		birth := birthDate(r, now, age)
		people[i] = Person{
			Name:       surnamePicker.draw(r) + givenNamePicker[cohortOf(birth.Year())][sex].draw(r),
			Phone:      fmt.Sprintf("+821000%06d", (i*step+offset)%MaxPeople),
			BirthDate:  birth,
			Sex:        sex,
			District:   cityDistricts[districtPicker.pick(r)].Code,
			Disability: r.IntN(1000) < band.disability,
		}
	}
	return people
}

// birthDate picks a day of birth uniformly among those that make a person
// exactly age years old on now's date.
func birthDate(r *rand.Rand, now time.Time, age int) time.Time {
	y, m, d := now.Date()
	latest := lastBirthDay(y, m, d, age)
	earliest := lastBirthDay(y, m, d, age+1).AddDate(0, 0, 1)
	days := int(latest.Sub(earliest).Hours()/24) + 1
	b := earliest.AddDate(0, 0, r.IntN(days))
	return time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, now.Location())
}

// lastBirthDay is the latest day, in UTC so that every day is 24 hours
// long, on which someone could be born and be age years old on y-m-d. On
// 29 February the same day age years earlier may not exist, and then it is
// the 28th: someone born on 1 March has not had their birthday yet.
func lastBirthDay(y int, m time.Month, d, age int) time.Time {
	t := time.Date(y-age, m, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		t = t.AddDate(0, 0, -t.Day())
	}
	return t
}
