// Package db owns the connection to the database and its schema.
//
// Maeul runs on SQLite (embedded default) and PostgreSQL (scale backend) with
// one set of SQL: statements use $N placeholders, which both drivers accept,
// and migrations use a few dialect macros ({{ID}}, {{TIME}}) expanded here.
// Parts never open connections themselves; they receive a *DB.
//
// The rule here: migrations are append-only and sealed. A migration, once
// landed, is never edited — add a new one. schema_migrations keeps the
// SHA-256 of every file it applied and Migrate refuses, naming the file, a
// database whose applied migration has changed since; the test against
// testdata/migrations.sha256 catches the edit first. Databases migrated
// before sealing take their files' checksums on the first start, except for
// the migrations edited after they landed (editedAfterLanding), whose gaps
// migration 0025 fills.
//
// Besides the macros, PostgreSQL's ALTER TABLE … ADD COLUMN IF NOT EXISTS
// may be used: on SQLite, which lacks it, the migrator looks the column up.
package db
