package streets

import "github.com/paulmach/osm"

// Walkable decides from a way's tags whether people may walk along it, and
// whether it is step-free. The rules follow the OSM wiki's access tagging:
// foot=* overrides access=*, which overrides the highway's default.
func Walkable(tags osm.Tags) (ok, stepFree bool) {
	var highway, foot, access, wheelchair string
	for _, t := range tags {
		switch t.Key {
		case "highway":
			highway = t.Value
		case "foot":
			foot = t.Value
		case "access":
			access = t.Value
		case "wheelchair":
			wheelchair = t.Value
		}
	}
	footAllowed := foot == "yes" || foot == "designated" || foot == "permissive"
	switch foot {
	case "no", "private", "use_sidepath":
		// use_sidepath: the sidewalk is mapped as its own way, which is walked instead.
		return false, false
	}
	switch highway {
	case "footway", "pedestrian", "path", "steps", "living_street", "residential",
		"service", "unclassified", "track", "corridor",
		"tertiary", "tertiary_link", "secondary", "secondary_link", "primary", "primary_link":
	case "cycleway", "motorway", "motorway_link", "trunk", "trunk_link":
		if !footAllowed {
			return false, false
		}
	default:
		return false, false
	}
	if (access == "no" || access == "private") && !footAllowed {
		return false, false
	}
	// Steps with wheelchair=yes have a ramp or a lift beside them.
	stepFree = wheelchair != "no" && (highway != "steps" || wheelchair == "yes")
	return true, stepFree
}
