// Package audit records who read or changed personal data: the actor, the
// citizen they acted for and the channel, the action, and what it touched.
// Entries are written in the same transaction as the change they describe;
// the table is only ever appended to.
package audit
