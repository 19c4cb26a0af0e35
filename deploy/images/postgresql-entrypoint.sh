#!/bin/sh
# First start: initdb, then the role and database of the environment (a temporary server on a socket only).
# Every start: the server in the foreground on POSTGRES_LISTEN:PGPORT, password logins over TCP.
set -eu
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required (no default password): compose passes FACTORY_PG_PASSWORD}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb -D "$PGDATA" --username=postgres --pwfile="$pwfile" --auth-local=peer --auth-host=scram-sha-256 --encoding=UTF8 >&2
  rm -f "$pwfile"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -k /var/run/postgresql" -w start >&2
  psql -X -q -v ON_ERROR_STOP=1 -h /var/run/postgresql -d postgres \
    -v user="$POSTGRES_USER" -v password="$POSTGRES_PASSWORD" -v db="$POSTGRES_DB" <<'SQL'
CREATE ROLE :"user" LOGIN CREATEDB PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"user";
SQL
  pg_ctl -D "$PGDATA" -m fast -w stop >&2
fi
echo "postgresql: $POSTGRES_LISTEN:$PGPORT, role $POSTGRES_USER, database $POSTGRES_DB" >&2
exec postgres -D "$PGDATA" -c listen_addresses="$POSTGRES_LISTEN" -p "$PGPORT" -k /var/run/postgresql "$@"
