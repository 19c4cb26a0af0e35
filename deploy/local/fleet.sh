#!/usr/bin/env bash
# Starts (up) or stops (down) the distributed fleet on this machine against the local RabbitMQ and PostgreSQL
# (deploy/local/up.sh starts those): the control plane, FACTORY_EXECUTORS_PER_POOL executors (default 2) for
# every pool this machine can serve, and the results consumer. Prints CONTROL_PLANE_URL=... and FACTORY_KEYRING=...
# (the keyring trusting the fleet's signing key, <state>/keys/signing-key.pem, made 0600 if missing); each process id
# goes to $FACTORY_RUN_DIR/<service>-<n>.pid (default .factory/run).
#
# Settings (environment): FACTORY_CONTROL_PLANE_PORT (5080), FACTORY_STATE (.factory), FACTORY_MANIFEST_STORE
# (manifests), FACTORY_KEYRING (<state>/keyring), FACTORY_EXECUTOR_CONCURRENCY (1), FACTORY_POOLS (detected), FACTORY_STOP_GRACE_SECONDS (90: how long
# down waits after SIGTERM before SIGKILL), and any .NET configuration key as
# an environment variable, e.g. Bus__RabbitMq__VirtualHost=/ or ConnectionStrings__Factory=Host=...
# SIMULATOR, only when asked: FACTORY_SIMULATORS (0) processes of FACTORY_SIMULATED_EXECUTORS (250) simulated executors
# each, on pool FACTORY_SIMULATED_POOL (sim); the control plane routes to it only with ControlPlane__Pools__* set.
# CREDENTIALS: RabbitMQ, PostgreSQL and S3 secrets are this install's, made by deploy/local/up.sh in FACTORY_CREDENTIALS
# (/etc/factory/credentials/factory.env, root only): up reads them from there for what the environment does not set
# (Bus__RabbitMq__Username/Password, ConnectionStrings__Factory, Evidence__S3__AccessKey/SecretKey, or the file's own
# FACTORY_AMQP_USER, FACTORY_AMQP_PASSWORD, FACTORY_PG_USER, FACTORY_PG_PASSWORD, FACTORY_S3_ACCESS_KEY, FACTORY_S3_SECRET_KEY).
# API ACCESS: up makes sure FACTORY_TOKEN_FILE ($FACTORY_STATE/admin.token) holds a valid admin token for the user
# running it (created with `factory tokens create` in the fleet's database, file mode 0600), and uses it itself;
# point the CLI at it with --token-file or FACTORY_TOKEN="$(cat ...)".
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
state="${FACTORY_STATE:-$repo/.factory}"
run_dir="${FACTORY_RUN_DIR:-$state/run}"
keyring="${FACTORY_KEYRING:-$state/keyring}"
port="${FACTORY_CONTROL_PLANE_PORT:-5080}"
url="http://127.0.0.1:$port"
store="$(cd "${FACTORY_MANIFEST_STORE:-$repo/manifests}" && pwd)"
per_pool="${FACTORY_EXECUTORS_PER_POOL:-2}"
concurrency="${FACTORY_EXECUTOR_CONCURRENCY:-1}"
build="$repo/.build"
token_file="${FACTORY_TOKEN_FILE:-$state/admin.token}"
credentials="${FACTORY_CREDENTIALS:-/etc/factory/credentials/factory.env}"

# alive and wait_until.
source "$repo/deploy/local/processes.sh"
source "$repo/deploy/local/credentials.sh"

log() { echo "fleet: $*" >&2; }
die() { echo "fleet: error: $*" >&2; exit 2; }

# credentials: the services' secrets as configuration (environment), each from the environment if set there, else from
# the credentials file up.sh wrote (parsed, never sourced). A secret found nowhere stops up naming the setting.
credentials() {
  load_credentials "$credentials"
  [ -n "${Bus__RabbitMq__Username:-}" ] || Bus__RabbitMq__Username="${FACTORY_AMQP_USER:-}"
  [ -n "${Bus__RabbitMq__Password:-}" ] || Bus__RabbitMq__Password="${FACTORY_AMQP_PASSWORD:-}"
  if [ -z "${ConnectionStrings__Factory:-}" ] && [ -n "${FACTORY_PG_PASSWORD:-}" ]; then
    ConnectionStrings__Factory="Host=127.0.0.1;Username=${FACTORY_PG_USER:-factory};Password=$FACTORY_PG_PASSWORD;Database=factory"
  fi
  [ -n "${Evidence__S3__AccessKey:-}" ] || Evidence__S3__AccessKey="${FACTORY_S3_ACCESS_KEY:-}"
  [ -n "${Evidence__S3__SecretKey:-}" ] || Evidence__S3__SecretKey="${FACTORY_S3_SECRET_KEY:-}"
  local missing=""
  [ -n "$Bus__RabbitMq__Username" ] || missing="$missing Bus__RabbitMq__Username"
  [ -n "$Bus__RabbitMq__Password" ] || missing="$missing Bus__RabbitMq__Password"
  [ -n "${ConnectionStrings__Factory:-}" ] || missing="$missing ConnectionStrings__Factory"
  [ -z "$missing" ] || die "no${missing} in the environment and $credentials is not readable or lacks them (run deploy/local/up.sh as root, or set them)"
  export Bus__RabbitMq__Username Bus__RabbitMq__Password ConnectionStrings__Factory
  # Empty S3 keys are left out: the evidence store is local unless Evidence__Store=s3, which then names what is missing.
  [ -z "$Evidence__S3__AccessKey" ] || export Evidence__S3__AccessKey
  [ -z "$Evidence__S3__SecretKey" ] || export Evidence__S3__SecretKey
}

build_service() { # name project
  local out="$build/$1" stamp="$build/$1/.built"
  mkdir -p "$out"
  exec 8>"$out/.lock"; flock 8
  if [ ! -f "$stamp" ] || [ -n "$(find "$repo/Contracts" "$repo/ControlPlane" "$repo/Executor" "$repo/ResultsConsumer" \
        \( -name '*.cs' -o -name '*.csproj' -o -name '*.json' -o -name '*.css' -o -name '*.js' \) -newer "$stamp" -not -path '*/obj/*' -not -path '*/bin/*' -print -quit)" ]; then
    log "building $1"
    # The stamp takes the time the build started: a source edited while it runs is newer, and is built next time.
    touch "$stamp.next"
    # Published ReadyToRun (precompiled) where the runtime pack restores, so a fresh service does not spend its first
    # minute JIT-compiling; otherwise a plain build.
    local rid=""
    case "$(uname -m)" in x86_64) rid=linux-x64 ;; aarch64 | arm64) rid=linux-arm64 ;; esac
    if [ -z "$rid" ] || ! dotnet publish "$repo/$2" -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -o "$out" -nologo -v quiet >"$out/build.log" 2>&1; then
      dotnet build "$repo/$2" -c Release -o "$out" -nologo -v quiet >>"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; die "$1 did not build"; }
    fi
    mv -f "$stamp.next" "$stamp"
  fi
  exec 8>&-
}

pools() {
  if [ -n "${FACTORY_POOLS:-}" ]; then echo "${FACTORY_POOLS//,/ }"; return; fi
  local p="amd64"
  [ "$(head -n1 /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null)" = enabled ] && p="$p arm64"
  command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L 2>/dev/null | grep -q GPU && p="$p gpu"
  echo "$p"
}

start() { # name dll args...
  local name="$1" dll="$2"; shift 2
  if [ -f "$run_dir/$name.pid" ] && alive "$(cat "$run_dir/$name.pid")"; then
    log "$name already running (pid $(cat "$run_dir/$name.pid"))"; return
  fi
  ( cd "$repo" && exec setsid dotnet "$dll" "$@" ) >"$run_dir/$name.log" 2>&1 < /dev/null &
  echo $! >"$run_dir/$name.pid"
  log "started $name (pid $!, log $run_dir/$name.log)"
}

# api PATH: GET from the control plane with the token (on stdin, not the command line, which ps shows to everyone).
api() { printf 'Authorization: Bearer %s\n' "$(cat "$token_file" 2>/dev/null)" | curl -fsS -H @- "$url$1"; }

# A valid admin token in $token_file: kept while the control plane accepts it, else a new one (a new database).
ensure_token() {
  [ -s "$token_file" ] && api /api/whoami >/dev/null 2>&1 && return 0
  local tmp="$token_file.tmp.$$"
  ( umask 077 && "$repo/factory" tokens create --role admin --name "fleet.sh $(id -un)@$(hostname -s)" >"$tmp" ) \
    || { rm -f "$tmp"; die "could not create an admin token (factory tokens create, database from ConnectionStrings__Factory)"; }
  mv -f "$tmp" "$token_file"
  log "admin token in $token_file (mode 0600)"
}

executors_at_least() { [ "$(api /api/executors | grep -o '"executor_id"' | wc -l)" -ge "$1" ]; }

wait_for() { # what seconds command...
  local what="$1" seconds="$2"; shift 2
  wait_until "$seconds" "$@" || die "$what did not come up within ${seconds}s (logs in $run_dir)"
}

# build: what up starts, built (or left as it is when no source changed); nothing is started.
build() {
  build_service control-plane ControlPlane/Factory.ControlPlane.Api/Factory.ControlPlane.Api.csproj
  build_service executor Executor/Factory.Executor.Host/Factory.Executor.Host.csproj
  build_service results-consumer ResultsConsumer/Factory.ResultsConsumer.Host/Factory.ResultsConsumer.Host.csproj
  [ "${FACTORY_SIMULATORS:-0}" -gt 0 ] && build_service simulator Executor/Factory.Executor.Simulator/Factory.Executor.Simulator.csproj
  # up makes the fleet's admin token with the CLI: built here too, so that up itself never waits for a build.
  "$repo/factory" --help >/dev/null || die "the CLI did not build"
}

up() {
  command -v rabbitmqctl >/dev/null && rabbitmqctl -q status >/dev/null 2>&1 || die "RabbitMQ is not running: run deploy/local/up.sh"
  credentials
  mkdir -p "$run_dir" "$state"
  build
  local simulators="${FACTORY_SIMULATORS:-0}" simulated="${FACTORY_SIMULATED_EXECUTORS:-250}"

  # One signing key for this fleet's executors (0600 from the start), and a keyring that trusts it: the results
  # consumer records only results it signed, and verify checks against the same keyring.
  local key="$state/keys/signing-key.pem"
  if [ ! -f "$key" ]; then
    mkdir -p "$state/keys"
    ( umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$key.$$.tmp" && mv -n "$key.$$.tmp" "$key" ) \
      || die "could not create the signing key $key"
    rm -f "$key.$$.tmp"
  fi
  mkdir -p "$keyring"
  openssl pkey -in "$key" -pubout -out "$keyring/fleet-signing-key.pub" 2>/dev/null || die "could not read the signing key $key"
  export Signing__Keyring="$keyring"
  export ControlPlane__ManifestStore="$store"
  export ControlPlane__StateDirectory="$state" # local evidence (SBOMs for record diffs) as the executors write it
  start control-plane-1 "$build/control-plane/Factory.ControlPlane.Api.dll" --urls "$url" --contentRoot "$build/control-plane"
  start results-consumer-1 "$build/results-consumer/Factory.ResultsConsumer.Host.dll" --contentRoot "$build/results-consumer"
  local expected=0
  for pool in $(pools); do
    for n in $(seq 1 "$per_pool"); do
      start "executor-$pool-$n" "$build/executor/Factory.Executor.Host.dll" --contentRoot "$build/executor" --pool "$pool" --concurrency "$concurrency" \
        --state "$state" --manifest-store "$store"
      expected=$((expected + 1))
    done
  done
  wait_for "the control plane at $url" 60 curl -fsS "$url/healthz"
  ensure_token
  # Simulators read the fleet's executors before they start: they need the token too (in their environment).
  FACTORY_TOKEN="$(cat "$token_file")"
  export FACTORY_TOKEN
  # Simulators ask the control plane, before they start, that no real executor serves their pool.
  for n in $(seq 1 "$simulators"); do
    start "simulator-$n" "$build/simulator/Factory.Executor.Simulator.dll" --contentRoot "$build/simulator" --pool "${FACTORY_SIMULATED_POOL:-sim}" \
      --executors "$simulated" --control-plane "$url" --state "$state" --manifest-store "$store"
    expected=$((expected + simulated))
  done
  # Ready when every executor has said hello: a plan submitted now finds its pools served.
  wait_for "$expected executors" 60 executors_at_least "$expected"
  for f in "$run_dir"/*.pid; do
    alive "$(cat "$f")" || die "$(basename "$f" .pid) exited: $(tail -n 5 "${f%.pid}.log")"
  done
  echo "CONTROL_PLANE_URL=$url"
  echo "FACTORY_TOKEN_FILE=$token_file"
  echo "FACTORY_KEYRING=$keyring"
}

down() {
  [ -d "$run_dir" ] || return 0
  local pids=()
  for f in "$run_dir"/*.pid; do
    [ -e "$f" ] || continue
    local pid; pid="$(cat "$f")"
    if alive "$pid"; then kill -TERM "$pid" && pids+=("$pid") && log "stopping $(basename "$f" .pid) (pid $pid)"; fi
    rm -f "$f"
  done
  # SIGTERM drains an executor (Executor:Drain): give it its grace and hand-back before SIGKILL.
  for _ in $(seq 1 "$((${FACTORY_STOP_GRACE_SECONDS:-90} * 2))"); do
    local running=0
    for pid in "${pids[@]}"; do alive "$pid" && running=1; done
    [ "$running" = 0 ] && return 0
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
}

case "${1:-}" in
  build) build ;;
  up) up ;;
  down) down ;;
  *) echo "usage: deploy/local/fleet.sh build|up|down" >&2; exit 2 ;;
esac
