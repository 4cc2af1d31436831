// Package demo generates the demo city: Busan's 16 districts with the
// learning centre's real venues and June courses, about 300 sessions over
// the coming three months and some history behind them, 5,000 made-up
// citizens and a demo account for every staff role. All of it is marked as
// demo data, and the site says so on every page.
//
// It writes only through the parts' exported APIs, in one transaction, and
// only into a database that holds no demo data yet.
package demo
