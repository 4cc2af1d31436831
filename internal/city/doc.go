// Package city owns the geography of the city that the other parts share:
// for now Busan's districts (codes, names, approximate population, centroids
// and boundaries) and a choropleth map of them; living zones and facilities
// will live here later, so that every part counts and draws places the same
// way.
package city
