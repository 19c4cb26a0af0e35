#!/usr/bin/env bash
# docker-compose for deploy/compose/docker-compose.yml with what it needs from this host filled in:
# - FACTORY_DOCKER_GID: the group of the engine socket, added to the executors' non-root user (10001) so that it may
#   open the socket. If the socket's group may not read and write it (mode 0600), only root can: FACTORY_EXECUTOR_USER=0.
# - the project name (COMPOSE_PROJECT_NAME, default "factory") and directory, from anywhere.
# - the credentials of RabbitMQ, PostgreSQL and S3: FACTORY_AMQP_USER, FACTORY_AMQP_PASSWORD, FACTORY_PG_USER,
#   FACTORY_PG_PASSWORD, FACTORY_S3_ACCESS_KEY, FACTORY_S3_SECRET_KEY, each from the environment or else from the file
#   deploy/local/up.sh writes (FACTORY_CREDENTIALS, default /etc/factory/credentials/factory.env, root only); and
#   FACTORY_DATABASE, the connection string, made from FACTORY_PG_USER/FACTORY_PG_PASSWORD when not set.
# Any other setting of docker-compose.yml can be set in the environment (FACTORY_*), e.g.
#   deploy/compose/compose.sh up -d
#   deploy/compose/compose.sh up -d --scale executor-amd64=3
#   deploy/compose/compose.sh -p mine down
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
socket="${FACTORY_DOCKER_SOCKET:-/var/run/docker.sock}"
export COMPOSE_PROJECT_NAME="${COMPOSE_PROJECT_NAME:-factory}"
if [ -S "$socket" ]; then
  export FACTORY_DOCKER_GID="${FACTORY_DOCKER_GID:-$(stat -c %g "$socket")}"
  mode="$(stat -c %a "$socket")"
  if [ -z "${FACTORY_EXECUTOR_USER:-}" ] && (( (8#$mode & 8#060) != 8#060 )); then
    echo "compose: $socket has mode $mode (its group may not use it): executors run as root" >&2
    export FACTORY_EXECUTOR_USER=0
  fi
else
  # A remote engine (FACTORY_DOCKER_SOCKET unset and no local socket): the group does not matter.
  export FACTORY_DOCKER_GID="${FACTORY_DOCKER_GID:-0}"
fi
credentials="${FACTORY_CREDENTIALS:-/etc/factory/credentials/factory.env}"
source "$here/../local/credentials.sh"
load_credentials "$credentials"
if [ -z "${FACTORY_DATABASE:-}" ] && [ -n "${FACTORY_PG_PASSWORD:-}" ]; then
  export FACTORY_DATABASE="Host=127.0.0.1;Port=${FACTORY_PG_PORT:-5432};Username=${FACTORY_PG_USER:-factory};Password=$FACTORY_PG_PASSWORD;Database=factory"
fi
command -v docker-compose >/dev/null || { echo "compose: docker-compose is not installed (apt-get install docker-compose)" >&2; exit 2; }
exec docker-compose --project-directory "$here" -f "$here/docker-compose.yml" "$@"
