package learn

// Themes are the five course themes of the Busan Digital Learning Center.
var Themes = []string{"ai", "digital_id", "fraud", "everyday", "content"}

// Levels of a course, easiest first.
var Levels = []string{"beginner", "intermediate", "advanced"}

// VenueKinds: the two hubs, district education centres, digital experience
// zones (no registration), partner sites, and sites of mobile classes.
var VenueKinds = []string{"hub", "district_centre", "experience_zone", "partner", "mobile"}

// Allocation decides who gets a seat.
const (
	FirstCome = "first_come"
	Lottery   = "lottery"
)

// Registration statuses.
const (
	Confirmed   = "confirmed"
	Waitlisted  = "waitlisted"
	Applied     = "applied" // entered a lottery not yet drawn
	Cancelled   = "cancelled"
	NotSelected = "not_selected"
)

// Registration channels beyond the actor's own (online, phone, in person).
const GroupChannel = "group"

func oneOf(v string, set []string) bool {
	for _, s := range set {
		if s == v {
			return true
		}
	}
	return false
}

// AgeGroup buckets a birth year for statistics; the bounds follow the
// groups the programme reports on (seniors split at 75).
func AgeGroup(birthYear, thisYear int) string {
	if birthYear == 0 {
		return "unknown"
	}
	switch age := thisYear - birthYear; {
	case age < 40:
		return "under_40"
	case age < 50:
		return "40s"
	case age < 65:
		return "50_64"
	case age < 75:
		return "65_74"
	default:
		return "75_plus"
	}
}

// AgeGroups in display order.
var AgeGroups = []string{"under_40", "40s", "50_64", "65_74", "75_plus", "unknown"}
