#!/bin/bash
# One database and one owning role per service: no service can read another's tables, nor connect to another's
# database. Runs once, when the database volume is new; the passwords come from the docker secrets.
set -euo pipefail
for service in units campaigns awards reporting; do
  password=$(cat "/run/secrets/tdkt_${service}_db_password")
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
       -v role="tdkt_${service}" -v password="$password" <<'SQL'
CREATE ROLE :"role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role" ENCODING 'UTF8';
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
SQL
done
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -c "REVOKE ALL ON DATABASE postgres FROM PUBLIC"
