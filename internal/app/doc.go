// Package app assembles Maeul: it opens the parts on one database, registers
// their routes on one router, wraps it in the shared middleware and runs the
// background jobs. It is the only package that knows every part.
package app
