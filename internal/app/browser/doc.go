// Package browser holds the browser tests of the app (named TestBrowser…):
// headless Chromium, driven by the keyboard, on the pages of an app from
// internal/app/apptest, with axe-core run on every page. They run in their
// own package, in parallel with internal/app's page and end-to-end tests,
// and without the race detector (.ci/run).
package browser
