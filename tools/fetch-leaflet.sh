#!/usr/bin/env bash
# Fetches a pinned Leaflet release (the map library) from the npm registry
# into internal/web/static/vendor/leaflet/, where the "15-minute city" pages'
# map (static/js/placesmap.js) loads it. Only leaflet.js and leaflet.css are
# kept: the map draws its markers as divIcons, so Leaflet's marker images are
# never requested. The result is committed so builds never need the network;
# rerun this only to change the pinned version (update both pins).
set -euo pipefail

LEAFLET_VERSION="${LEAFLET_VERSION:-1.9.4}"
# Must change together with LEAFLET_VERSION (see tools/npm-fetch.sh).
LEAFLET_INTEGRITY="${LEAFLET_INTEGRITY:-sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==}"

. "$(dirname "$0")/npm-fetch.sh"
npm_vendor leaflet "$LEAFLET_VERSION" "$LEAFLET_INTEGRITY" "$root/internal/web/static/vendor/leaflet" dist/leaflet.js dist/leaflet.css
