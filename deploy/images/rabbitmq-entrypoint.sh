#!/bin/sh
# Runs the broker in the foreground with the ports of the environment; the Erlang distribution stays on loopback.
set -eu
: "${RABBITMQ_DIST_PORT:=$((RABBITMQ_NODE_PORT + 20000))}"
export RABBITMQ_DIST_PORT
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1} ${RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS:-}"
echo "rabbitmq: node $RABBITMQ_NODENAME, AMQP $RABBITMQ_NODE_IP_ADDRESS:$RABBITMQ_NODE_PORT, epmd $ERL_EPMD_PORT, distribution $RABBITMQ_DIST_PORT" >&2
exec /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
