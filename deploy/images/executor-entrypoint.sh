#!/bin/sh
# Starts the executor in its container. Two things the process cannot know by itself:
# - its name: with host networking every container has the host's name and the process is pid 1 in each, so the
#   default <host>-<pid> would be the same for every executor. Unless Executor__ExecutorId is set, the name is
#   FACTORY_EXECUTOR_NAME (the compose service), the container's short id (from its mounts) and a per-start suffix
#   (a restarted container is a new executor, as a restarted process is).
# - why the engine refuses it: a mounted socket the user "factory" cannot open gets a message naming the group to add.
set -eu
if [ -z "${Executor__ExecutorId:-}" ]; then
  container=$(sed -n 's#.*/containers/\([0-9a-f]\{64\}\)/.*#\1#p' /proc/self/mountinfo | head -n 1 | cut -c 1-12)
  suffix=$(od -A n -N 2 -t x1 /dev/urandom | tr -d ' \n')
  Executor__ExecutorId="${FACTORY_EXECUTOR_NAME:-executor}-${container:-$(hostname)}-${suffix}"
  export Executor__ExecutorId
fi
socket=${Executor__DockerHost:-${DOCKER_HOST:-unix:///var/run/docker.sock}}
case "$socket" in
  unix://*)
    path=${socket#unix://}
    if [ ! -S "$path" ]; then
      echo "executor: no engine socket at $path: mount the host's (-v /var/run/docker.sock:$path) or set DOCKER_HOST=tcp://host:port" >&2
      exit 2
    fi
    if [ ! -r "$path" ] || [ ! -w "$path" ]; then
      echo "executor: user $(id -u) (groups $(id -G)) cannot open $path (owner $(stat -c %u "$path"), group $(stat -c %g "$path"), mode $(stat -c %a "$path")): add the socket's group (compose: FACTORY_DOCKER_GID=$(stat -c %g "$path"); docker run --group-add $(stat -c %g "$path")), or run as root if only root may open it" >&2
      exit 2
    fi
    ;;
esac
exec /opt/factory/executor/Factory.Executor.Host "$@"
