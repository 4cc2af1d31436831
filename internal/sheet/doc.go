// Package sheet reads the CSV files staff export from spreadsheets: UTF-8
// with or without a byte-order mark, a header row naming the columns in any
// order, blank rows skipped. It collects every problem with its line number
// and column, as catalogue keys, so that a file is either taken whole or
// refused with a list a person can fix in one pass.
package sheet
