#!/usr/bin/env bash
# Fetches the pinned parts of KRDS, Korea's government design system, from the
# npm registry into internal/web/static/vendor/, where app.css builds on them:
#
#   vendor/krds/krds_tokens.css   KRDS's design tokens (npm krds-uiux): the
#       colours of its light and high-contrast modes, the PC and mobile type
#       scales, spacing and radius, as CSS custom properties. Only this file
#       is kept, not the package's 593 KB component bundle, scripts or images.
#   vendor/pretendard-gov/        the PretendardGOV web font (npm
#       pretendard-gov), KRDS's typeface: the dynamic-subset woff2 build,
#       split by unicode-range so that a page downloads only the pieces
#       holding the characters it shows, in the two weights app.css uses
#       (400 and 700), and pretendard-gov.css with their @font-face rules
#       (font-display: swap; woff2 only).
#
# Each directory gets the package's LICENSE and a VERSION file. The result is
# committed so builds never need the network; rerun this only to change a
# pinned version (update both pins of that package).
set -euo pipefail

KRDS_VERSION="${KRDS_VERSION:-1.1.0}"
PRETENDARD_VERSION="${PRETENDARD_VERSION:-1.3.9}"
# Pinned so a tampered or re-published tarball is refused rather than served
# to every citizen's browser. Taken from `npm view <pkg>@<v> dist.integrity`;
# each must change together with its version.
KRDS_INTEGRITY="${KRDS_INTEGRITY:-sha512-4cjL3cpnlTaDrkivVceDpWhHxUYgV2AhiRRbO74I8ZKlnM17BcutEjPOlMOz9RQGAmdEubTsSYoyKFhvD1/g+A==}"
PRETENDARD_INTEGRITY="${PRETENDARD_INTEGRITY:-sha512-U9bEVWfBoM5AUAM2yJvmbffrt4oO//onVbKOIzy/pEU0SEP+6O/YmOxGgYaMgDr+zmqhDGhSwQqOnBFSgmp4bQ==}"
# The font weights app.css uses, as the upstream file names spell them.
PRETENDARD_WEIGHTS="${PRETENDARD_WEIGHTS:-400:Regular 700:Bold}"

root="$(cd "$(dirname "$0")/.." && pwd)"
vendor="$root/internal/web/static/vendor"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# fetch <package> <version> <integrity>: downloads and checks the tarball and
# unpacks it into $tmp/<package>/package.
fetch() {
	local pkg="$1" version="$2" integrity="$3"
	local tgz="$tmp/$pkg-$version.tgz"
	# Plain HTTPS from the registry: no npm needed, and no package scripts run.
	curl -fsSL --proto '=https' -o "$tgz" "https://registry.npmjs.org/$pkg/-/$pkg-$version.tgz"
	local got
	got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
	if [ "$got" != "$integrity" ]; then
		echo "fetch-krds: integrity mismatch for $pkg@$version" >&2
		echo "  want $integrity" >&2
		echo "  got  $got" >&2
		exit 1
	fi
	mkdir -p "$tmp/$pkg"
	tar -xzf "$tgz" -C "$tmp/$pkg"
}

# fingerprint <file>: the version a URL carries for the file (?v=…), as
# internal/web/static.go computes it: the first 12 hex digits of its SHA-256.
fingerprint() {
	sha256sum "$1" | cut -c1-12
}

# KRDS: the tokens only.
fetch krds-uiux "$KRDS_VERSION" "$KRDS_INTEGRITY"
pkg="$tmp/krds-uiux/package"
dest="$vendor/krds"
rm -rf "$dest"
mkdir -p "$dest"
cp "$pkg/resources/css/token/krds_tokens.css" "$dest/krds_tokens.css"
license="$(grep -o '"license": *"[^"]*"' "$pkg/package.json" | sed 's/.*: *"\(.*\)"/\1/')"
if [ "$license" != "ISC" ]; then
	echo "fetch-krds: krds-uiux@$KRDS_VERSION says its licence is '$license', not ISC: read it before vendoring" >&2
	exit 1
fi
# The package ships no licence file: its package.json says ISC and its README
# points to KRDS's terms of use, so both are recorded.
cat >"$dest/LICENSE" <<EOF
krds_tokens.css is taken unchanged from the npm package krds-uiux@$KRDS_VERSION
(https://www.npmjs.com/package/krds-uiux), the HTML component kit of KRDS
(Korea Responsive Design System, 대한민국 디지털 정부 디자인 시스템),
resources/css/token/krds_tokens.css.

The package declares its licence as ISC in package.json ("author": "krds") and
ships no licence file. Its README says:

  ## 저작권 및 라이선스
  본 패키지는 대한민국 디지털 정부 디자인 시스템(KRDS)의 이용약관을 따름.
  * KRDS 저작권: https://www.krds.go.kr/html/site/utility/utility_06.html

(The package follows the terms of use of KRDS.) The ISC licence as the
package declares it:

ISC License

Copyright (c) krds

Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted, provided that the above
copyright notice and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
EOF
printf '%s\n' "$KRDS_VERSION" >"$dest/VERSION"
echo "fetch-krds: krds-uiux $KRDS_VERSION (tokens) -> ${dest#"$root"/}"

# PretendardGOV: the dynamic subsets of the weights used, woff2 only.
fetch pretendard-gov "$PRETENDARD_VERSION" "$PRETENDARD_INTEGRITY"
pkg="$tmp/pretendard-gov/package/dist"
dest="$vendor/pretendard-gov"
rm -rf "$dest"
mkdir -p "$dest/woff2"
cp "$pkg/LICENSE.txt" "$dest/LICENSE"
printf '%s\n' "$PRETENDARD_VERSION" >"$dest/VERSION"
upstream="$pkg/web/static/pretendard-gov-dynamic-subset.css"
css="$dest/pretendard-gov.css"
{
	echo "/* PretendardGOV $PRETENDARD_VERSION (npm pretendard-gov), SIL Open Font License 1.1: see LICENSE."
	echo "   Copyright (c) 2021 Kil Hyung-jin, with Reserved Font Name Pretendard GOV."
	echo "   Generated by tools/fetch-krds.sh from dist/web/static/pretendard-gov-dynamic-subset.css:"
	echo "   weights $PRETENDARD_WEIGHTS, woff2 only, each URL versioned by its file's fingerprint. */"
} >"$css"
want=""
for pair in $PRETENDARD_WEIGHTS; do
	cp "$pkg/web/static/woff2-dynamic-subset/PretendardGOV-${pair#*:}".subset.*.woff2 "$dest/woff2/"
	want="$want ${pair%%:*}"
done
# Each upstream rule: family, style, display, weight, src (woff2 then woff),
# unicode-range. The weights' rules are kept with only their woff2, ordered by
# piece so that the same unicode-range of each weight follows the other's and
# compresses to almost nothing.
awk -v want="$want" '
	BEGIN { n = split(want, ws, " "); for (i = 1; i <= n; i++) keep[ws[i]] = 1 }
	/@font-face/ { w = ""; src = ""; range = ""; inrule = 1; next }
	inrule && /font-weight:/ { w = $2; sub(/;$/, "", w) }
	inrule && /src:/ { match($0, /woff2-dynamic-subset\/[^)]*\.woff2/); src = substr($0, RSTART + 21, RLENGTH - 21) }
	inrule && /unicode-range:/ { range = $0; sub(/^[ \t]*/, "", range) }
	inrule && /^}/ {
		inrule = 0
		if (w in keep) { piece = src; sub(/^.*\.subset\./, "", piece); sub(/\.woff2$/, "", piece); print piece "\t" w "\t" src "\t" range }
	}
' "$upstream" | sort -t$'\t' -k1,1n -k2,2n | while IFS=$'\t' read -r _ weight file range; do
	printf "@font-face { font-family: 'Pretendard GOV'; font-weight: %s; font-display: swap;\n  src: url(woff2/%s?v=%s) format('woff2');\n  %s }\n" \
		"$weight" "$file" "$(fingerprint "$dest/woff2/$file")" "$range"
done >>"$css"
fonts="$(find "$dest/woff2" -name '*.woff2' | wc -l)"
rules="$(grep -c '@font-face' "$css")"
if [ "$fonts" != "$rules" ]; then
	echo "fetch-krds: $fonts font files but $rules @font-face rules" >&2
	exit 1
fi
echo "fetch-krds: pretendard-gov $PRETENDARD_VERSION ($fonts woff2 files) -> ${dest#"$root"/}"
