#!/bin/bash
# Entry point of the offline postgres:17 stand-in, written for this tutorial. It keeps the contract
# of the official image's entry point (same variables, same paths, same first-start behaviour):
#
#   POSTGRES_PASSWORD  password of the superuser; required, unless POSTGRES_HOST_AUTH_METHOD=trust
#   POSTGRES_USER      name of the superuser (default postgres)
#   POSTGRES_DB        database created on first start (default: the user's name)
#   PGDATA             the data folder (default /var/lib/postgresql/data, the image's volume)
#   /docker-entrypoint-initdb.d/*.sh, *.sql, *.sql.gz   run once, after the database is created
#
# An empty data folder is initialised; one that holds a database is used as it is, so the data
# outlives the container when the folder is a volume. The server then runs in the foreground as
# PID 1, as the user postgres, listening on every interface on port 5432.
set -Eeuo pipefail

log() { printf '%s\n' "$*"; }
fail() {
  printf 'Error: %s\n' "$*" >&2
  exit 1
}

# As root: make the data folder the postgres user's, then run this script again as that user.
if [ "${1:-}" = postgres ] && [ "$(id -u)" = 0 ]; then
  data=${PGDATA:-/var/lib/postgresql/data}
  mkdir -p "$data"
  chown postgres:postgres "$data"
  chmod 0700 "$data"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

# Anything but `postgres ...` (psql, bash, a one-off command) runs as given.
if [ "${1:-}" != postgres ]; then
  exec "$@"
fi

export PGDATA=${PGDATA:-/var/lib/postgresql/data}
export POSTGRES_USER=${POSTGRES_USER:-postgres}
export POSTGRES_DB=${POSTGRES_DB:-$POSTGRES_USER}
auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}

run_init_files() {
  local file
  for file in /docker-entrypoint-initdb.d/*; do
    [ -e "$file" ] || continue
    case "$file" in
      *.sh)
        log "$0: running $file"
        # shellcheck disable=SC1090 # the init scripts are the user's
        if [ -x "$file" ]; then "$file"; else . "$file"; fi
        ;;
      *.sql)
        log "$0: running $file"
        psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -f "$file"
        ;;
      *.sql.gz)
        log "$0: running $file"
        gunzip -c "$file" | psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB"
        ;;
      *) log "$0: ignoring $file" ;;
    esac
  done
}

initialise() {
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != trust ]; then
    fail 'Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".
       (Or set POSTGRES_HOST_AUTH_METHOD=trust to allow all connections
       without a password: not for anything but practice.)'
  fi
  local pwfile
  pwfile=$(mktemp)
  printf '%s\n' "${POSTGRES_PASSWORD:-}" >"$pwfile"
  # Local (socket) connections inside the container need no password, as in the official image;
  # connections over the network need the password.
  initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --auth-local=trust --auth-host="$auth" \
    --encoding=UTF8 --locale=C.UTF-8 -D "$PGDATA"
  rm -f "$pwfile"
  printf '\nhost all all all %s\n' "$auth" >>"$PGDATA/pg_hba.conf"
  # Every interface of the container (port 5432), so that other containers can connect.
  printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"

  # A private server on the socket only, so nothing connects before initialisation is over.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start
  if [ "$POSTGRES_DB" != postgres ]; then
    log "creating database $POSTGRES_DB"
    psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres \
      --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
  fi
  run_init_files
  pg_ctl -D "$PGDATA" -m fast -w stop
  log ''
  log 'PostgreSQL init process complete; ready for start up.'
  log ''
}

if [ -s "$PGDATA/PG_VERSION" ]; then
  log ''
  log 'PostgreSQL Database directory appears to contain a database; Skipping initialization'
  log ''
else
  initialise
fi

exec "$@"
