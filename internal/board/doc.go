// Package board is each living zone's board: news written by staff, the
// citizens' bulletin board (posts, comments, edits within a day, abuse
// reports), moderation of what was reported, and the zone's coming events
// as a list by day and as an iCalendar feed.
//
// The rules here: a refused post or comment writes nothing, and the
// posting limits are counted in the database under a per-user row lock,
// so they hold across instances and concurrent requests. Posts keep only
// the author's user id; the name shown is a masked form of the account's
// name, and no name or text is ever logged.
package board
