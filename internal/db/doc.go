// Package db owns the connection to the database and its schema.
//
// Maeul runs on SQLite (embedded default) and PostgreSQL (scale backend) with
// one set of SQL: statements use $N placeholders, which both drivers accept,
// and migrations use a few dialect macros ({{ID}}, {{TIME}}) expanded here.
// Parts never open connections themselves; they receive a *DB.
//
// The rule here: a migration, once released, is never edited — add a new one.
package db
