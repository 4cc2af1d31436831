#!/usr/bin/env bash
# Fetches a pinned axe-core release from the npm registry into
# internal/browsertest/axe/. The result is committed so tests never need the
# network; rerun this only to change the pinned version (update both pins).
set -euo pipefail

AXE_VERSION="${AXE_VERSION:-4.14.1}"
# Pinned so a tampered or re-published tarball is refused rather than
# silently embedded into every test binary. Taken from `npm view
# axe-core@<v> dist.integrity`; must change together with AXE_VERSION.
AXE_INTEGRITY="${AXE_INTEGRITY:-sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==}"

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/internal/browsertest/axe"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

tgz="$tmp/axe-core-$AXE_VERSION.tgz"
# AXE_FETCH=curl forces the plain-HTTP path, for machines without npm.
if [ "${AXE_FETCH:-}" != curl ] && command -v npm >/dev/null 2>&1; then
	# --ignore-scripts: we only want the tarball, never to run its hooks.
	(cd "$tmp" && npm pack --silent --ignore-scripts "axe-core@$AXE_VERSION" >/dev/null)
else
	curl -fsSL -o "$tgz" "https://registry.npmjs.org/axe-core/-/axe-core-$AXE_VERSION.tgz"
fi
[ -f "$tgz" ] || { echo "fetch-axe: tarball $tgz not produced" >&2; exit 1; }

got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
if [ "$got" != "$AXE_INTEGRITY" ]; then
	echo "fetch-axe: integrity mismatch for axe-core@$AXE_VERSION" >&2
	echo "  want $AXE_INTEGRITY" >&2
	echo "  got  $got" >&2
	exit 1
fi

tar -xzf "$tgz" -C "$tmp"
mkdir -p "$dest"
cp "$tmp/package/axe.min.js" "$dest/axe.min.js"
cp "$tmp/package/LICENSE" "$dest/LICENSE"
printf '%s\n' "$AXE_VERSION" >"$dest/VERSION"
echo "fetch-axe: axe-core $AXE_VERSION -> ${dest#"$root"/}"
