// Package dbtest gives store tests a fresh, migrated database on every
// backend the machine has: always SQLite, and PostgreSQL when
// MAEUL_TEST_POSTGRES holds a DSN. With CI=true a missing PostgreSQL fails
// the test instead of skipping it.
package dbtest
