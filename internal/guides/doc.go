// Package guides is the digital guides' part (디지털 안내사): the data map
// of the spots where seniors gather (hotspots) with the people expected
// there each hour of the week, the guides with their areas and shifts,
// the day's patrol proposed by need and adjusted and confirmed by a
// coordinator, the help guides log on site from their phones (or that
// they were there and nobody needed it), citizens' requests for help (a
// call back, or a guide at a spot and hour), and the coordinators'
// statistics.
//
// The hotspot file has one row per hotspot and group of days, with the
// people expected in each hour in h00..h23 and the days written as a
// coordinator says them (mon-fri, sat sun, 월~금, 주말). We chose it over
// one row per hotspot and day because a spot's weekdays are nearly always
// alike: most spots take two or three rows, and a row is what a counter
// with a clipboard fills in for a typical day. We chose it over a weekday
// profile and a peak because a formula hides what was counted, and a
// market that closes at one on Saturdays cannot be said with one. The
// first row of a hotspot names and places it; later rows may leave those
// columns blank, and one that repeats them differently is refused.
//
// The rules here: an import writes the whole file or nothing. A plan is
// changed only from the version the coordinator saw (the conditional
// UPDATE of its row), so two coordinators never overwrite each other and
// a confirmed plan stays as confirmed. Personal data is kept at the
// minimum: guides are known by account id and the name the coordinator
// chose them by; help entries name no one; a phone number is kept only on
// a call-back request, shown only to the guide who took it (each reading
// audited), and blanked when the request is closed. Anyone may ask for a
// guide without signing in, so requests are limited per client address
// (AsksPerAddress).
package guides
