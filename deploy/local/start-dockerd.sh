#!/usr/bin/env bash
# start-dockerd.sh DOCKERD-ARGS...: exec dockerd, first clearing what a dead dockerd leaves behind. up.sh runs it under
# supervise.sh, so this is also how the engine comes back after it died.
#
# dockerd starts containerd as its child and records its PID in /var/run/docker/containerd/containerd.pid. When dockerd
# dies, containerd dies with it, but until the orphan is reaped (late, by this machine's init) that PID is a zombie, and
# a new dockerd takes it for a running containerd, waits 15 s for its socket and gives up. A pid file whose process is
# gone, a zombie or some other program now is removed here, so the new dockerd starts its own containerd at once.
set -euo pipefail
source "$(dirname "$0")/processes.sh"

readonly CONTAINERD_PIDFILE=/var/run/docker/containerd/containerd.pid

if [[ -f $CONTAINERD_PIDFILE ]]; then
    pid=$(cat "$CONTAINERD_PIDFILE")
    if [[ ! $pid =~ ^[0-9]+$ ]] || not_alive "$pid" || ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q containerd; then
        rm -f "$CONTAINERD_PIDFILE"
        echo "start-dockerd: removed $CONTAINERD_PIDFILE (containerd pid '$pid' is gone)" >&2
    fi
fi
exec dockerd "$@"
