#!/bin/bash
# Makes every password of the compose deployment as a file in deploy/secrets/ (or the folder given as the first
# argument, which compose then reads through TDKT_SECRETS_DIR; kept if present), and Kafka's server logins
# (kafka_jaas) from them. The folder is its owner's only (0700); the files are 0644 so that the containers'
# unprivileged users can read them through compose's bind mount.
set -euo pipefail
secrets=${1:-"$(cd "$(dirname "$0")" && pwd)/secrets"}
mkdir -p "$secrets"
chmod 0700 "$secrets"
umask 0022
make() {
  [ -s "$secrets/$1" ] || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$secrets/$1"
}
make postgres_password
for service in units campaigns awards reporting notifications keycloak; do
  make "tdkt_${service}_db_password"
done
for user in admin units campaigns awards reporting notifications subscriber; do
  make "kafka_${user}_password"
done
make kafka_controller_password
make keycloak_admin_password
make portal_oidc_client_secret
make portal_session_secret
# The demo realm's people (tdkt/stack/keycloak.py's DEMO_USERS): "login password" lines, made once.
if [ ! -s "$secrets/keycloak_users" ]; then
  for login in vanphong hoidong botruong bandoc canbo.cxnk canbo.vpb quantri; do
    echo "$login $(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  done > "$secrets/keycloak_users"
fi
admin=$(cat "$secrets/kafka_admin_password")
controller=$(cat "$secrets/kafka_controller_password")
cat > "$secrets/kafka_jaas" <<JAAS
sasl_plaintext.KafkaServer {
  org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$admin";
};
external.KafkaServer {
  org.apache.kafka.common.security.scram.ScramLoginModule required;
};
controller.KafkaServer {
  org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$controller" user_admin="$controller";
};
JAAS
echo "Secrets in $secrets (give the subscriber system kafka_subscriber_password; the demo users' logins are in keycloak_users)."
