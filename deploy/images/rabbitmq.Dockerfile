# RabbitMQ from Debian's rabbitmq-server (3.10), for compose and tests on host networking. Every port comes from the
# environment so that it can run next to the host's broker: RABBITMQ_NODE_PORT (AMQP, 5672), ERL_EPMD_PORT (its own
# epmd, 4369), RABBITMQ_DIST_PORT (AMQP + 20000), RABBITMQ_NODE_IP_ADDRESS (127.0.0.1), RABBITMQ_DEFAULT_USER / RABBITMQ_DEFAULT_PASS (required: the user
# the first start creates instead of guest; compose passes FACTORY_AMQP_USER / FACTORY_AMQP_PASSWORD).
# Logs go to stdout (RABBITMQ_LOGS=-), where docker logs and Testcontainers read "Server startup complete".
ARG BASE=127.0.0.1:5000/base/debian:bookworm
FROM ${BASE}
ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
# policy-rc.d: the package's postinst must not try to start the broker inside the build.
RUN printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d \
 && apt-get update \
 && apt-get install -y --no-install-recommends rabbitmq-server \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /var/lib/rabbitmq/mnesia
ENV RABBITMQ_NODENAME=rabbit@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=5672 \
    ERL_EPMD_ADDRESS=127.0.0.1 ERL_EPMD_PORT=4369 HOME=/var/lib/rabbitmq RABBITMQ_LOGS=-
COPY rabbitmq-entrypoint.sh /usr/local/bin/factory-rabbitmq
USER rabbitmq
HEALTHCHECK --interval=5s --timeout=20s --start-period=10s CMD rabbitmq-diagnostics -q check_port_connectivity || exit 1
ENTRYPOINT ["/usr/local/bin/factory-rabbitmq"]
