#!/bin/sh
# Runs the broker in the foreground with the ports of the environment; the Erlang distribution stays on loopback.
set -eu
: "${RABBITMQ_DEFAULT_USER:?RABBITMQ_DEFAULT_USER is required (no guest): compose passes FACTORY_AMQP_USER}"
: "${RABBITMQ_DEFAULT_PASS:?RABBITMQ_DEFAULT_PASS is required (no guest): compose passes FACTORY_AMQP_PASSWORD}"
# The user a fresh node creates (instead of guest/guest), from a config file only this user can read.
umask 077
export RABBITMQ_CONFIG_FILE="$HOME/factory.conf"
printf 'default_user = %s\ndefault_pass = %s\ndefault_permissions.configure = .*\ndefault_permissions.read = .*\ndefault_permissions.write = .*\ndefault_user_tags.administrator = true\nloopback_users = none\n' \
  "$RABBITMQ_DEFAULT_USER" "$RABBITMQ_DEFAULT_PASS" >"$RABBITMQ_CONFIG_FILE"
: "${RABBITMQ_DIST_PORT:=$((RABBITMQ_NODE_PORT + 20000))}"
export RABBITMQ_DIST_PORT
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1} ${RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS:-}"
echo "rabbitmq: node $RABBITMQ_NODENAME, AMQP $RABBITMQ_NODE_IP_ADDRESS:$RABBITMQ_NODE_PORT, epmd $ERL_EPMD_PORT, distribution $RABBITMQ_DIST_PORT" >&2
exec /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
