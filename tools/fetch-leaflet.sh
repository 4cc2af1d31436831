#!/usr/bin/env bash
# Fetches a pinned Leaflet release (the map library) from the npm registry
# into internal/web/static/vendor/leaflet/, where the "15-minute city" pages'
# map (static/js/placesmap.js) loads it. Only leaflet.js and leaflet.css are
# kept: the map draws its markers as divIcons, so Leaflet's marker images are
# never requested. The result is committed so builds never need the network;
# rerun this only to change the pinned version (update both pins).
set -euo pipefail

LEAFLET_VERSION="${LEAFLET_VERSION:-1.9.4}"
# Pinned so a tampered or re-published tarball is refused rather than served
# to every citizen's browser. Taken from `npm view leaflet@<v> dist.integrity`;
# must change together with LEAFLET_VERSION.
LEAFLET_INTEGRITY="${LEAFLET_INTEGRITY:-sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==}"

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/internal/web/static/vendor/leaflet"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

tgz="$tmp/leaflet-$LEAFLET_VERSION.tgz"
# Plain HTTPS from the registry: no npm needed, and no package scripts run.
curl -fsSL --proto '=https' -o "$tgz" "https://registry.npmjs.org/leaflet/-/leaflet-$LEAFLET_VERSION.tgz"

got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
if [ "$got" != "$LEAFLET_INTEGRITY" ]; then
	echo "fetch-leaflet: integrity mismatch for leaflet@$LEAFLET_VERSION" >&2
	echo "  want $LEAFLET_INTEGRITY" >&2
	echo "  got  $got" >&2
	exit 1
fi

tar -xzf "$tgz" -C "$tmp"
mkdir -p "$dest"
cp "$tmp/package/dist/leaflet.js" "$dest/leaflet.js"
cp "$tmp/package/dist/leaflet.css" "$dest/leaflet.css"
cp "$tmp/package/LICENSE" "$dest/LICENSE"
printf '%s\n' "$LEAFLET_VERSION" >"$dest/VERSION"
echo "fetch-leaflet: leaflet $LEAFLET_VERSION -> ${dest#"$root"/}"
