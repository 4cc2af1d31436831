#!/usr/bin/env bash
# Installs PostGIS and pgRouting for the machine's PostgreSQL 15 and makes
# a database of their own for `maeul bench gis-peers`, so that the `test`
# database the store tests use is never touched.
#
#   bash tools/install-postgis.sh            # then: maeul bench gis-peers
#
# Idempotent: packages already installed, the database or the extensions
# already there are left as they are. Settings from the environment:
#   PGHOST (127.0.0.1) PGPORT (5432) PGUSER (postgres)
#   MAEUL_GIS_DB (maeul_gis_bench)
set -euo pipefail

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
db="${MAEUL_GIS_DB:-maeul_gis_bench}"
packages=(postgresql-15-postgis-3 postgresql-15-pgrouting)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
if ((${#missing[@]})); then
	sudo=""
	if [ "$(id -u)" != 0 ]; then sudo=sudo; fi
	echo "installing ${missing[*]}"
	# The lists may be stale on a fresh machine; a failed update is not fatal
	# when the packages are already known.
	$sudo apt-get update -qq || true
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The database name is a plain identifier; refuse anything that would need
# quoting rather than build SQL from it.
if ! [[ "$db" =~ ^[a-z_][a-z0-9_]*$ ]]; then
	echo "MAEUL_GIS_DB must be a lower-case SQL identifier, not $db" >&2
	exit 2
fi
if [ "$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
	psql -q -d postgres -c "CREATE DATABASE $db"
fi
psql -q -v ON_ERROR_STOP=1 -d "$db" <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS pgrouting;
SQL
psql -d "$db" -tAc "SELECT 'postgis ' || postgis_lib_version() || ', pgrouting ' || pgr_version() || ' in database $db'"
echo "run: maeul bench gis-peers --pg postgres://$PGUSER@$PGHOST:$PGPORT/$db?sslmode=disable"
