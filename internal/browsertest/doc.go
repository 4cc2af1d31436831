// Package browsertest is the harness for tests that drive a real headless
// Chromium against Maeul's server-rendered pages and hold every page they
// visit to WCAG 2.2 AA with axe-core.
//
// It owns:
//
//   - finding and launching Chromium with flags fit for a root, offline
//     machine ([Start]), and deciding whether a missing browser skips the test
//     (a developer's machine) or fails it (CI=true, where a skip would hide
//     that nothing was checked);
//   - the pinned copy of axe-core in axe/ (axe.min.js, its MPL-2.0 LICENSE
//     and VERSION), which tools/fetch-axe.sh refreshes and which is embedded
//     so tests never need the network;
//   - running axe with the WCAG 2.0/2.1/2.2 A and AA tags plus best-practice
//     ([Browser.Axe]), and reporting each violation with enough detail (rule,
//     impact, selector, HTML) to fix it without rerunning by hand;
//   - keyboard-only navigation with real key events ([Browser.TabTo],
//     [Browser.Press], [Browser.Type]), because synthetic clicks would pass
//     pages that a keyboard user cannot operate.
//
// It does not own the pages under test, their servers or fixtures; callers
// bring an httptest.Server or similar and call [Browser.Visit].
//
// Each [Start] launches its own browser (about a second on CI's two cores),
// so a test that checks many pages should share one [Browser] across its
// subtests rather than starting one per page.
//
// Chromium is found at $MAEUL_CHROMIUM when that is set (and only there, so
// a test can hide the browser by pointing it at a missing file), otherwise at
// /usr/bin/chromium, /usr/bin/chromium-browser or /usr/bin/google-chrome.
// tools/install-chromium.sh installs it with the Korean fonts that
// screenshots need. When $MAEUL_SCREENSHOT_DIR is set, a failed test that
// used a [Browser] leaves a full-page PNG of its last page there.
package browsertest
