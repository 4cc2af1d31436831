package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/maeul/maeul/internal/city"
	"github.com/maeul/maeul/internal/identity"
)

// residents makes the demo resident registry from the demo people: the same
// names, birth dates, districts and phones, in the demo living zones made
// of the real dongs (city.DemoZones) and in households, with children where the age makes it plausible.
func residents(rng *rand.Rand, people []Person, now time.Time) []identity.Resident {
	out := make([]identity.Resident, len(people))
	household := 0
	for i, p := range people {
		if i == 0 || rng.IntN(3) != 0 { // about a third share a household with the person before
			household++
		}
		age := now.Year() - p.BirthDate.Year()
		children := 0
		if age >= 28 && age <= 55 {
			children = []int{0, 0, 1, 2, 2, 3}[rng.IntN(6)]
		}
		b := p.BirthDate
		out[i] = identity.Resident{
			RegistryID:      fmt.Sprintf("DEMO-%06d", i+1),
			Name:            p.Name,
			BirthDate:       time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC),
			District:        p.District,
			Zone:            zoneIn(rng, p.District),
			HouseholdID:     fmt.Sprintf("DEMO-H%05d", household),
			ChildrenUnder19: children,
			Disability:      p.Disability,
			Phone:           p.Phone,
			Demo:            true,
		}
	}
	return out
}

// zoneIn is a demo living zone of district, chosen by population.
func zoneIn(rng *rand.Rand, district string) string {
	zones := city.ZonesOf(district)
	total := 0
	for _, z := range zones {
		total += z.Population
	}
	n := rng.IntN(total)
	for _, z := range zones {
		if n -= z.Population; n < 0 {
			return z.Code
		}
	}
	return zones[len(zones)-1].Code
}
