#!/usr/bin/env bash
# Installs the independent implementations that the interop tests in
# internal/sdjwt and internal/dcql check Maeul against:
# @sd-jwt/sd-jwt-vc and @sd-jwt/crypto-nodejs 0.19.0 and dcql 3.0.0, at the
# exact versions of package-lock.json. Needs Node >= 20 and npm, and reaches
# only the npm registry. Idempotent: when node_modules already matches the
# lock file nothing is downloaded or rewritten.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "tools/interop: node and npm are required (Node >= 20)" >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "tools/interop: Node >= 20 is required, found $(node --version)" >&2
  exit 1
fi

# npm ci always deletes node_modules first; skip it when the installed tree
# was made from this very lock file (npm writes its hidden lock file last).
if [ -f node_modules/.package-lock.json ] && [ -f node_modules/.interop-lock ] &&
  cmp -s package-lock.json node_modules/.interop-lock; then
  echo "tools/interop: node_modules is up to date"
  exit 0
fi

npm ci --no-audit --no-fund
cp package-lock.json node_modules/.interop-lock
node -e 'for (const p of ["@sd-jwt/sd-jwt-vc", "@sd-jwt/crypto-nodejs", "dcql"]) console.log(p, require(`./node_modules/${p}/package.json`).version)'
