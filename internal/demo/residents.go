package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/maeul/maeul/internal/city"
	"github.com/maeul/maeul/internal/identity"
)

// demoZones is how many demo living zones each district gets: the city has
// 62, shared out by population (at least two a district).
func demoZones() map[string]int {
	total := 0
	for _, d := range city.Districts() {
		total += d.Population
	}
	out := map[string]int{}
	for _, d := range city.Districts() {
		out[d.Code] = max(2, (62*d.Population+total/2)/total)
	}
	return out
}

// residents makes the demo resident registry from the demo people: the same
// names, birth dates, districts and phones, in demo living zones and
// households, with children where the age makes it plausible.
func residents(rng *rand.Rand, people []Person, now time.Time) []identity.Resident {
	zones := demoZones()
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
			Zone:            fmt.Sprintf("%s-Z%d", p.District, 1+rng.IntN(zones[p.District])),
			HouseholdID:     fmt.Sprintf("DEMO-H%05d", household),
			ChildrenUnder19: children,
			Disability:      p.Disability,
			Phone:           p.Phone,
			Demo:            true,
		}
	}
	return out
}
