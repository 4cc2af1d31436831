// Package places owns the places of the 15-minute city: the living zones a
// city imports (boundaries and population), its public facilities
// (category, opening hours, accessibility, contact) and the events at them;
// their CSV and GeoJSON imports, all-or-nothing with every problem by line;
// the spatial index behind "what is near me", walking times estimated from
// the straight line (a detour factor at a walking pace, slower for seniors);
// a stand-in geocoder for what people type (dongs, districts, living zones,
// stations and markets the app passes in, facilities by whole or partial
// name, with close names when nothing matches), its name index built once
// per version; and the citizen's pages,
// a list first with the map after it, and the staff's import page.
package places
