// Package ical owns the iCalendar (RFC 5545) export of events, so citizens
// can add programmes to their phone or desktop calendar. It only writes;
// Maeul never imports calendars. Times are written in UTC, which every
// client converts to local time, so no VTIMEZONE is needed.
package ical
