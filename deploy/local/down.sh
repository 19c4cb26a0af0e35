#!/usr/bin/env bash
# Stop what deploy/local/up.sh started, by the PIDs it recorded in /run/factory (or the service's own
# stop command). Services (FACTORY_SERVICES, space/comma separated, default all), stopped in this order:
#   ceph      radosgw, ceph-osd, ceph-mon (by PID); the memstore cluster is re-created by the next up.sh
#   postgres  pg_ctlcluster 15 main stop (data kept)
#   rabbitmq  rabbitmqctl stop (data kept), then epmd if no other Erlang node uses it
#   docker    the registry and dockerd (by PID)
# Leaves data (registry storage, docker images, databases, binfmt registration) in place; up.sh brings it all back.
#
#   FACTORY_SERVICES="rabbitmq postgres ceph" deploy/local/down.sh   # everything but the container engine
set -euo pipefail

readonly PID_DIR=/run/factory
readonly STOP_TIMEOUT=30
readonly ALL_SERVICES="docker rabbitmq postgres ceph"
readonly PG_VERSION=15
readonly PG_CLUSTER=main
export ERL_EPMD_ADDRESS=127.0.0.1   # a rabbitmqctl call may start epmd: keep it on loopback

# alive.
source "$(dirname "${BASH_SOURCE[0]}")/processes.sh"

log() { printf '[down.sh] %s\n' "$*" >&2; }
die() { printf '[down.sh] ERROR: %s\n' "$*" >&2; exit 1; }

# pid_running PID PROGRAM: PID is alive and its command line mentions PROGRAM (a stale PID file
# can name a PID that now belongs to something else: never signal that).
pid_running() {
    [[ $1 =~ ^[0-9]+$ ]] && alive "$1" &&
        tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q -- "$2"
}

# wait_gone PID SECONDS: wait until PID has exited; fails if it is still there.
wait_gone() {
    local i
    for ((i = 0; i < $2; i++)); do
        alive "$1" || return 0
        sleep 1
    done
    ! alive "$1"
}

# stop_pid NAME PROGRAM [SECONDS]: SIGTERM the recorded PID, wait for it to exit, SIGKILL after SECONDS
# (default STOP_TIMEOUT).
stop_pid() {
    local name=$1 program=$2 grace=${3:-$STOP_TIMEOUT} pidfile="$PID_DIR/$1.pid" pid
    if [[ ! -f $pidfile ]]; then
        log "$name: no $pidfile, nothing to stop"
        return
    fi
    pid=$(cat "$pidfile")
    if ! pid_running "$pid" "$program"; then
        log "$name: pid '$pid' is not running (or is no longer $program)"
        rm -f "$pidfile"
        return
    fi
    log "$name: stopping pid $pid"
    kill -TERM "$pid"
    if ! wait_gone "$pid" "$grace"; then
        log "$name: still running after ${grace}s, sending SIGKILL"
        kill -KILL "$pid" || true
    fi
    rm -f "$pidfile"
    log "$name: stopped"
}

stop_ceph() {
    # radosgw first (it is a client of the cluster), then the OSD, then the monitor. Short grace
    # periods: radosgw hangs on SIGTERM when the OSD is gone, and up.sh re-creates the cluster anyway.
    stop_pid ceph-rgw radosgw 10
    stop_pid ceph-osd ceph-osd 10
    stop_pid ceph-mon ceph-mon 10
}

stop_postgres() {
    local status
    if ! command -v pg_lsclusters >/dev/null; then
        log "postgres: not installed"
        return
    fi
    status=$(pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c { print $4 }')
    if [[ $status == online* ]]; then
        log "postgres: pg_ctlcluster $PG_VERSION $PG_CLUSTER stop"
        pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop
        log "postgres: stopped"
    else
        log "postgres: cluster $PG_VERSION/$PG_CLUSTER is not running (${status:-absent})"
    fi
    rm -f "$PID_DIR/postgres.pid"
}

stop_rabbitmq() {
    local pidfile="$PID_DIR/rabbitmq.pid" pid=""
    if ! command -v rabbitmqctl >/dev/null; then
        log "rabbitmq: not installed"
        return
    fi
    if [[ -f $pidfile ]]; then pid=$(cat "$pidfile"); fi
    if (cd / && timeout 20 rabbitmqctl -q ping) >/dev/null 2>&1; then
        log "rabbitmq: rabbitmqctl stop"
        (cd / && timeout 60 rabbitmqctl stop) >&2 || log "rabbitmq: rabbitmqctl stop failed"
    else
        log "rabbitmq: the node does not answer"
    fi
    # rabbitmqctl stop returns before the VM has exited: wait for the recorded PID.
    if pid_running "$pid" beam; then
        if ! wait_gone "$pid" "$STOP_TIMEOUT"; then
            log "rabbitmq: pid $pid still running after ${STOP_TIMEOUT}s, sending SIGTERM"
            kill -TERM "$pid" || true
            wait_gone "$pid" 10 || { log "rabbitmq: sending SIGKILL to $pid"; kill -KILL "$pid" || true; }
        fi
    fi
    rm -f "$pidfile"
    # The node started epmd (the Erlang port mapper); stop it too unless another node still uses it.
    if command -v epmd >/dev/null && epmd -names >/dev/null 2>&1; then
        if epmd -names 2>/dev/null | grep -q '^name '; then
            log "rabbitmq: epmd still serves other Erlang nodes: leaving it running"
        else
            log "rabbitmq: stopping epmd (no node registered)"
            epmd -kill >/dev/null 2>&1 || true
        fi
    fi
    log "rabbitmq: stopped"
}

stop_docker() {
    stop_pid registry docker-registry
    stop_pid dockerd dockerd   # dockerd stops the containerd it started itself
}

main() {
    local list s services=" "
    [[ $EUID -eq 0 ]] || die "must run as root"
    list=${FACTORY_SERVICES:-$ALL_SERVICES}
    for s in ${list//,/ }; do
        [[ " $ALL_SERVICES " == *" $s "* ]] || die "unknown service '$s' in FACTORY_SERVICES (known: $ALL_SERVICES)"
        services+="$s "
    done
    log "stopping: ${services# }"
    # Reverse order of up.sh.
    if [[ $services == *" ceph "* ]]; then stop_ceph; fi
    if [[ $services == *" postgres "* ]]; then stop_postgres; fi
    if [[ $services == *" rabbitmq "* ]]; then stop_rabbitmq; fi
    if [[ $services == *" docker "* ]]; then stop_docker; fi
}

main "$@"
