#!/usr/bin/env bash
# supervise.sh NAME COMMAND...: run COMMAND and, whenever it exits without having been asked to stop, note it on
# stderr and start it again, after 1 s, then 2, 4, ... up to 30 s while it keeps dying young (the pause is back to 1 s
# once a run has lasted a minute).
#
# up.sh runs dockerd under it: Debian's 20.10 engine can die of a Go runtime fault (see EngineBuildGate), and a dead
# engine would otherwise fail every build on the host until someone ran up.sh again. Builds in flight when it dies
# still fail, as infrastructure (DockerEngine pings the engine after a failed build), and are retried.
#
# SIGTERM or SIGINT stops it: the signal goes to COMMAND, the script waits for COMMAND to exit and then exits 0, so
# `kill -TERM <this pid>` (down.sh) stops the service as it always did. Each start and each death is one line:
#   ==== <time> supervise: <NAME> started (pid N)
#   ==== <time> supervise: <NAME> exited (status S) after T s; starting it again in D s
set -u

[[ $# -ge 2 ]] || { echo "usage: supervise.sh NAME COMMAND..." >&2; exit 2; }
name=$1
shift

child=0
stopping=no
note() { printf '==== %s supervise: %s %s\n' "$(date -Is)" "$name" "$*" >&2; }

stop() {
    stopping=yes
    if ((child > 0)); then kill -TERM "$child" 2>/dev/null || true; fi
}
trap stop TERM INT

pause=1
while :; do
    started=$SECONDS
    "$@" </dev/null &
    child=$!
    note "started (pid $child)"
    # wait returns early when a trapped signal arrives: wait again until the child has really gone.
    wait "$child"
    status=$?
    while kill -0 "$child" 2>/dev/null; do
        wait "$child"
        status=$?
    done
    if [[ $stopping == yes ]]; then
        note "stopped (status $status)"
        exit 0
    fi
    ran=$((SECONDS - started))
    ((ran >= 60)) && pause=1
    note "exited (status $status) after ${ran} s; starting it again in ${pause} s"
    sleep "$pause" &
    wait $! || true
    [[ $stopping == yes ]] && { note "stopped"; exit 0; }
    pause=$((pause * 2 > 30 ? 30 : pause * 2))
done
