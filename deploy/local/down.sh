#!/usr/bin/env bash
# Stop the registry and dockerd that deploy/local/up.sh started, by the PIDs it recorded in /run/factory.
# Leaves data (registry storage, docker images, binfmt registration) in place; up.sh brings it all back.
set -euo pipefail

readonly PID_DIR=/run/factory
readonly STOP_TIMEOUT=30

log() { printf '[down.sh] %s\n' "$*" >&2; }

# stop_pid NAME: SIGTERM the recorded PID, wait for it to exit, SIGKILL after the timeout.
stop_pid() {
    local name=$1 pidfile="$PID_DIR/$1.pid" pid i
    if [[ ! -f $pidfile ]]; then
        log "$name: no $pidfile, nothing to stop"
        return
    fi
    pid=$(cat "$pidfile")
    if ! [[ $pid =~ ^[0-9]+$ ]] || ! kill -0 "$pid" 2>/dev/null; then
        log "$name: pid '$pid' is not running"
        rm -f "$pidfile"
        return
    fi
    log "$name: stopping pid $pid"
    kill -TERM "$pid"
    for ((i = 0; i < STOP_TIMEOUT; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "$name: still running after ${STOP_TIMEOUT}s, sending SIGKILL"
        kill -KILL "$pid" || true
    fi
    rm -f "$pidfile"
    log "$name: stopped"
}

stop_pid registry
stop_pid dockerd   # dockerd stops the containerd it started itself
