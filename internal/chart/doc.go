// Package chart owns the statistics charts on admin pages, drawn on the
// server as inline SVG so they need no JavaScript and print well. Charts are
// built to be read by everyone: dark colours that keep 4.5:1 contrast on
// white, patterns and dash styles so series never differ by colour alone,
// values written on the marks, and text sized to stay legible when zoomed.
// A screen reader announces a chart as one image named by its title and
// description, so the page should also offer the numbers as a table.
package chart
