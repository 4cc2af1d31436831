#!/usr/bin/env bash
# Fetches a pinned axe-core release from the npm registry into
# internal/browsertest/axe/. The result is committed so tests never need the
# network; rerun this only to change the pinned version (update both pins).
set -euo pipefail

AXE_VERSION="${AXE_VERSION:-4.14.1}"
# Must change together with AXE_VERSION (see tools/npm-fetch.sh).
AXE_INTEGRITY="${AXE_INTEGRITY:-sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==}"

. "$(dirname "$0")/npm-fetch.sh"
npm_vendor axe-core "$AXE_VERSION" "$AXE_INTEGRITY" "$root/internal/browsertest/axe" axe.min.js
