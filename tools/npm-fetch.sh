#!/usr/bin/env bash
# The one way tools/fetch-*.sh take a pinned package from the npm registry;
# each of them sources this file. A package is downloaded over plain HTTPS
# (no npm needed, and none of its scripts run) and refused unless its
# tarball's SHA-512 is the pinned integrity (`npm view <pkg>@<v>
# dist.integrity`), so a tampered or re-published tarball is never vendored.
# What they vendor is committed, so builds and tests never need the network.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
npm_tmp="$(mktemp -d)"
trap 'rm -rf "$npm_tmp"' EXIT

# npm_fetch <package> <version> <integrity>: downloads and checks the tarball
# and unpacks it into $npm_tmp/<package>/package.
npm_fetch() {
	local pkg="$1" version="$2" integrity="$3"
	local tgz="$npm_tmp/$pkg-$version.tgz" got
	curl -fsSL --proto '=https' -o "$tgz" "https://registry.npmjs.org/$pkg/-/$pkg-$version.tgz"
	got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
	if [ "$got" != "$integrity" ]; then
		echo "$(basename "$0"): integrity mismatch for $pkg@$version" >&2
		echo "  want $integrity" >&2
		echo "  got  $got" >&2
		exit 1
	fi
	mkdir -p "$npm_tmp/$pkg"
	tar -xzf "$tgz" -C "$npm_tmp/$pkg"
}

# npm_vendor <package> <version> <integrity> <dest> <file>...: fetches the
# package and copies the files (paths inside its package/) into dest, with
# the package's LICENSE and a VERSION file.
npm_vendor() {
	local pkg="$1" version="$2" integrity="$3" dest="$4" f
	shift 4
	npm_fetch "$pkg" "$version" "$integrity"
	mkdir -p "$dest"
	for f in "$@" LICENSE; do
		cp "$npm_tmp/$pkg/package/$f" "$dest/$(basename "$f")"
	done
	printf '%s\n' "$version" >"$dest/VERSION"
	echo "$(basename "$0"): $pkg $version -> ${dest#"$root"/}"
}
