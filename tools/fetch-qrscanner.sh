#!/usr/bin/env bash
# Fetches a pinned jsQR release (a small, dependency-free QR decoder) from the
# npm registry into internal/web/static/vendor/jsqr/, where the staff check-in
# page's camera scanner (static/js/scan.js) loads it. The result is committed
# so builds never need the network; rerun this only to change the pinned
# version (update both pins).
set -euo pipefail

JSQR_VERSION="${JSQR_VERSION:-1.4.0}"
# Pinned so a tampered or re-published tarball is refused rather than served
# to every staff browser. Taken from `npm view jsqr@<v> dist.integrity`; must
# change together with JSQR_VERSION.
JSQR_INTEGRITY="${JSQR_INTEGRITY:-sha512-dxLob7q65Xg2DvstYkRpkYtmKm2sPJ9oFhrhmudT1dZvNFFTlroai3AWSpLey/w5vMcLBXRgOJsbXpdN9HzU/A==}"

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/internal/web/static/vendor/jsqr"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

tgz="$tmp/jsqr-$JSQR_VERSION.tgz"
# Plain HTTPS from the registry: no npm needed, and no package scripts run.
curl -fsSL --proto '=https' -o "$tgz" "https://registry.npmjs.org/jsqr/-/jsqr-$JSQR_VERSION.tgz"

got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
if [ "$got" != "$JSQR_INTEGRITY" ]; then
	echo "fetch-qrscanner: integrity mismatch for jsqr@$JSQR_VERSION" >&2
	echo "  want $JSQR_INTEGRITY" >&2
	echo "  got  $got" >&2
	exit 1
fi

tar -xzf "$tgz" -C "$tmp"
mkdir -p "$dest"
cp "$tmp/package/dist/jsQR.js" "$dest/jsQR.js"
cp "$tmp/package/LICENSE" "$dest/LICENSE"
printf '%s\n' "$JSQR_VERSION" >"$dest/VERSION"
echo "fetch-qrscanner: jsqr $JSQR_VERSION -> ${dest#"$root"/}"
