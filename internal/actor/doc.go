// Package actor says who is making a request: the signed-in user, their
// role, and — when a call-centre operator or digital guide acts for a
// citizen — the citizen they act for and through which channel. It carries
// this through the context so that the web layer, the parts and the audit
// log agree on it without importing one another.
package actor
