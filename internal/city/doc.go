// Package city owns the geography of the city that the other parts share:
// Busan's districts (codes, names, approximate population, centroids and
// boundaries) and a choropleth map of them, its neighbourhoods (dongs), and
// the demo city's 62 living zones grouped from them, so that every part
// counts and draws places the same way. The places part stores the zones a
// city imports and the facilities in them.
package city
