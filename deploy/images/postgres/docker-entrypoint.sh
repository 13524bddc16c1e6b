#!/bin/bash
# The official postgres image's first start, for what compose gives: a new data folder is initialised with
# the superuser's password from POSTGRES_PASSWORD_FILE and POSTGRES_INITDB_ARGS, the scripts in
# /docker-entrypoint-initdb.d run against a server on the socket only, then the server listens on every
# address of the container with scram-sha-256 for every host. An initialised folder just starts.
set -euo pipefail
: "${POSTGRES_USER:=postgres}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  password_file=${POSTGRES_PASSWORD_FILE:?POSTGRES_PASSWORD_FILE is required (the superuser password)}
  # shellcheck disable=SC2086  # POSTGRES_INITDB_ARGS is a list of options
  initdb --username="$POSTGRES_USER" --pwfile="$password_file" ${POSTGRES_INITDB_ARGS:-} >/dev/null
  printf '\nhost all all all scram-sha-256\n' >> "$PGDATA/pg_hba.conf"
  PGPASSWORD=$(cat "$password_file")
  export PGPASSWORD
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories=/var/run/postgresql" -w start >/dev/null
  for script in /docker-entrypoint-initdb.d/*; do
    case "$script" in
      *.sh) echo "running $script"; bash "$script" ;;
      *.sql) echo "running $script"; psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d postgres -f "$script" ;;
      *) ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  unset PGPASSWORD
fi
if [ "$1" = postgres ]; then
  shift
  exec postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/var/run/postgresql "$@"
fi
exec "$@"
