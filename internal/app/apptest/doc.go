// Package apptest is the harness of internal/app's tests: a running app
// over its own copy of the demo city of 300 citizens, on SQLite or
// PostgreSQL (App, SQLite, Postgres, EachBackend, New), a browser-like HTTP
// client with its own cookies (Client), sign-in helpers through the pages
// and with the keyboard in a browser, and fixtures (residents, merchants,
// wallets, applications, places).
//
// The demo city (DemoCity) is generated once per test binary and backend
// and copied for each test, so that tests may run in parallel. The page,
// API and end-to-end tests (internal/app) and the browser tests
// (internal/app/browser) share it.
//
// It is test code: it imports "testing" and fails tests. No code but tests
// may import it (TestOnlyTestsImportApptest checks).
package apptest
