# Sourced by deploy/local/up.sh, down.sh and fleet.sh: how they tell that a process they started still runs, and how
# they wait for something to come up or go away.

# alive PID: the process exists and is not a zombie. kill -0 succeeds on a zombie (a service that died and was not
# reaped yet, which this machine's init does late), and a zombie must count as stopped: started again, not reported up.
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [ "${stat%% *}" != Z ]
}

not_alive() { ! alive "$1"; }

# wait_until SECONDS COMMAND...: run COMMAND (its output dropped) every half second until it succeeds, for at most
# SECONDS. A deadline rather than a count of tries, so that slow probes (rabbitmqctl, curl under load) do not stretch it.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}
