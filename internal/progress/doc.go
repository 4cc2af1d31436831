// Package progress owns the progress display of long command-line jobs such
// as imports and demo-data generation. On a terminal it redraws one line in
// place; when output goes to a file or a CI log it writes a few plain lines
// instead, so logs stay readable and small.
package progress
