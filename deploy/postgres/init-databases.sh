#!/bin/bash
# One database and one owning role per service (and Keycloak): no service can read another's tables, nor connect
# to another's database. Runs by itself when the database volume is new; the passwords come from the docker
# secrets. It only adds what is missing, so after an upgrade that brings a new service an operator runs it again:
#   docker compose -f deploy/compose.yaml exec postgres bash /docker-entrypoint-initdb.d/10-databases.sh
set -euo pipefail
export PGPASSWORD=${PGPASSWORD:-$(cat /run/secrets/postgres_password)}
for service in units campaigns awards reporting notifications keycloak; do
  password=$(cat "/run/secrets/tdkt_${service}_db_password")
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
       -v role="tdkt_${service}" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'role', :'password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING ''UTF8''', :'role', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'role') \gexec
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
SQL
done
psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres -c "REVOKE ALL ON DATABASE postgres FROM PUBLIC"
