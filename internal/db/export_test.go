package db

import "context"

// MigrateTo applies the migrations up to version last, for the tests of a
// migration on the rows of an earlier schema.
func (d *DB) MigrateTo(ctx context.Context, last int) (int, error) { return d.migrateTo(ctx, last) }
