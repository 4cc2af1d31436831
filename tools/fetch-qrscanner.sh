#!/usr/bin/env bash
# Fetches a pinned jsQR release (a small, dependency-free QR decoder) from the
# npm registry into internal/web/static/vendor/jsqr/, where the staff check-in
# page's camera scanner (static/js/scan.js) loads it. The result is committed
# so builds never need the network; rerun this only to change the pinned
# version (update both pins).
set -euo pipefail

JSQR_VERSION="${JSQR_VERSION:-1.4.0}"
# Must change together with JSQR_VERSION (see tools/npm-fetch.sh).
JSQR_INTEGRITY="${JSQR_INTEGRITY:-sha512-dxLob7q65Xg2DvstYkRpkYtmKm2sPJ9oFhrhmudT1dZvNFFTlroai3AWSpLey/w5vMcLBXRgOJsbXpdN9HzU/A==}"

. "$(dirname "$0")/npm-fetch.sh"
npm_vendor jsqr "$JSQR_VERSION" "$JSQR_INTEGRITY" "$root/internal/web/static/vendor/jsqr" dist/jsQR.js
