#!/usr/bin/env bash
# Bring up the local Factory stack on a Debian 12 machine (run as root). Services (FACTORY_SERVICES):
#
#   docker    1. Debian packages (docker.io, docker-registry, qemu-user-static, ...) and an arm64 busybox binary
#             2. dockerd (no bridge) on unix:///var/run/docker.sock, under deploy/local/supervise.sh (started again if it dies)
#             2b. builds that declare the network kept off the host: deploy/local/build-firewall.sh (iptables, ip6tables)
#             3. a plain-HTTP registry on 127.0.0.1:5000 (filesystem storage, delete enabled)
#             4. QEMU binfmt registration for arm64 (with the F flag, so it also works inside containers)
#             5. multi-arch (amd64 + arm64) base images, each built ONLY if its tag is not yet in the registry:
#                  127.0.0.1:5000/base/busybox:1.35
#                  127.0.0.1:5000/base/debian:bookworm
#             5e. per-install credentials (with rabbitmq, postgres or ceph): random passwords and S3 keys, made once
#                in /etc/factory/credentials/factory.env (dir 0700, file 0600, root only) and reused on every rerun;
#                delete the file and rerun to rotate them (FACTORY_CREDENTIALS names another file)
#   rabbitmq  6. RabbitMQ 3.10 (Debian rabbitmq-server): AMQP on 127.0.0.1:5672, management UI/API on
#                127.0.0.1:15672, Erlang distribution and epmd on loopback only; user "factory" (administrator, every
#                vhost) with the generated password; the default user guest is deleted
#   postgres  7. PostgreSQL 15 (Debian cluster 15/main) on localhost:5432, role and database "factory"
#                (the generated password; the role may create databases; no login without a password)
#   ceph      8. Ceph RGW (S3) on 127.0.0.1:7480: one mon, one memstore OSD and radosgw, run directly (no daemon
#                manager), auth off between the daemons (the build firewall, 2b, keeps builds off their ports),
#                S3 user "factory" whose only key is the generated one; the cluster is created from scratch
#                whenever its daemons are not running (memstore keeps nothing worth keeping), data in /var/lib/factory-ceph
#             9. a short summary on stdout (where the credentials are, never the secrets)
#
# Idempotent: every step checks first and does nothing if its result is already there, so a second
# run takes seconds and never rebuilds (rebuilding would change the base image digests). Every service
# is verified working (a real AMQP handshake, a password login, a signed S3 round trip) before the next.
#
# Environment:
#   FACTORY_SERVICES  space/comma separated services: "docker rabbitmq postgres ceph" (default: all of them)
#   FACTORY_BASES     space/comma separated list of bases to build: "busybox debian" (default) or "busybox"
#
# Everything is logged to stderr; the summary goes to stdout. Stop the daemons with deploy/local/down.sh
# (which honours FACTORY_SERVICES too). See deploy/local/README.md.
set -Eeuo pipefail

cd "$(dirname "$0")/../.."

# ---------------------------------------------------------------------------------------------- settings
readonly REGISTRY_HOST=127.0.0.1:5000
readonly REGISTRY_URL="http://${REGISTRY_HOST}"
readonly REGISTRY_CONFIG=/etc/factory/registry.yml
readonly REGISTRY_DATA=/var/lib/factory-registry
readonly REGISTRY_LOG=/var/log/factory-registry.log
readonly DOCKERD_LOG=/var/log/factory-dockerd.log
readonly ENGINE_SCRIPTS=/usr/local/lib/factory   # supervise.sh and start-dockerd.sh, as dockerd runs them
readonly DOCKER_SOCK=/var/run/docker.sock
readonly PID_DIR=/run/factory
readonly WORK_DIR=/var/cache/factory-bases
readonly DEBIAN_MIRROR=http://deb.debian.org/debian
readonly DEBIAN_SUITE=bookworm
readonly BINFMT_DIR=/proc/sys/fs/binfmt_misc
readonly BINFMT_CONF=/usr/lib/binfmt.d/qemu-aarch64.conf
readonly ARCHES=(amd64 arm64)
readonly APT_PACKAGES=(docker.io iptables docker-registry qemu-user-static binfmt-support busybox-static debootstrap curl)
readonly STARTUP_TIMEOUT=60
readonly ALL_SERVICES="docker rabbitmq postgres ceph"

# RabbitMQ: the Debian package's node (rabbit@<short hostname>), started with loopback-only listeners.
readonly AMQP_HOST=127.0.0.1
readonly AMQP_PORT=5672
readonly RABBITMQ_MGMT_PORT=15672
readonly RABBITMQ_ENABLED_PLUGINS_FILE=/etc/rabbitmq/enabled_plugins
readonly RABBITMQ_STARTUP_LOG=/var/log/factory-rabbitmq.log
readonly RABBITMQ_LOG_DIR=/var/log/rabbitmq
export RABBITMQ_NODE_IP_ADDRESS=$AMQP_HOST
export ERL_EPMD_ADDRESS=127.0.0.1   # also for the epmd that a rabbitmqctl call may start
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1} -rabbitmq_management tcp_config [{ip,\"127.0.0.1\"},{port,${RABBITMQ_MGMT_PORT}}]"

# PostgreSQL: the Debian cluster 15/main.
readonly PG_VERSION=15
readonly PG_CLUSTER=main
readonly PG_HOST=127.0.0.1
readonly PG_PORT=5432
readonly PG_FACTORY_CONF=/etc/postgresql/${PG_VERSION}/${PG_CLUSTER}/conf.d/factory.conf
readonly PG_USER=factory
readonly PG_DATABASE=factory

# Ceph RGW: a throwaway single-node cluster. The fsid is fixed so that the config file is deterministic.
readonly CEPH_PACKAGES=(radosgw ceph-mon ceph-osd ceph-mgr s3cmd)
readonly CEPH_CONFIG=/etc/factory/ceph/ceph.conf
readonly CEPH_DATA=/var/lib/factory-ceph
readonly CEPH_LOG_DIR=/var/log/factory-ceph
readonly CEPH_RUN_DIR=${PID_DIR}/ceph
readonly CEPH_FSID=5f1c0e6a-7d0b-4e8e-9c1f-fac70a7c3e11
readonly CEPH_MON_ID=a
readonly CEPH_RGW_NAME=client.rgw.factory
readonly CEPH_TIMEOUT=90
readonly S3_HOST=127.0.0.1
readonly S3_PORT=7480
readonly S3_URL="http://${S3_HOST}:${S3_PORT}"
readonly S3_UID=factory
readonly S3CMD_CONFIG_OLD=/etc/factory/ceph/s3cmd.cfg

# Per-install secrets (step 5e): one KEY=VALUE file, root only. The s3cmd config holds the S3 secret, so it lives there too.
readonly CREDENTIALS_FILE=${FACTORY_CREDENTIALS:-/etc/factory/credentials/factory.env}
readonly CREDENTIALS_DIR=$(dirname "$CREDENTIALS_FILE")
readonly S3CMD_CONFIG=${CREDENTIALS_DIR}/s3cmd.cfg
readonly AMQP_USER=factory
AMQP_PASSWORD=""
PG_PASSWORD=""
S3_ACCESS_KEY=""
S3_SECRET_KEY=""
export CEPH_CONF=$CEPH_CONFIG   # ceph, rados and radosgw-admin read it; every call below also passes -c

# Always the Debian 20.10 CLI: the docker on PATH (/usr/local/bin) has no buildx and fails with BuildKit.
readonly DOCKER=/usr/bin/docker
export DOCKER_BUILDKIT=1
export DOCKER_CLI_EXPERIMENTAL=enabled
export DOCKER_HOST="unix://${DOCKER_SOCK}"
export DEBIAN_FRONTEND=noninteractive

BUSYBOX_AMD64=/bin/busybox
BUSYBOX_ARM64="${WORK_DIR}/downloads/busybox-static-arm64/bin/busybox"
ARM64_OK=no
APT_UPDATED=no
RABBITMQ_MGMT=no
declare -A BASE_DIGESTS=()
CURRENT_STEP="startup"

# ---------------------------------------------------------------------------------------------- helpers
log()  { printf '[up.sh] %s\n' "$*" >&2; }
step() { CURRENT_STEP="$1"; log "=== step: $1 (at ${SECONDS}s)"; }
die()  { printf '[up.sh] ERROR in step "%s": %s\n' "$CURRENT_STEP" "$*" >&2; exit 1; }

on_error() {
    local rc=$? line=$1
    printf '[up.sh] ERROR in step "%s": command failed (exit %s) at line %s: %s\n' \
        "$CURRENT_STEP" "$rc" "$line" "$BASH_COMMAND" >&2
    exit "$rc"
}
trap 'on_error $LINENO' ERR

# alive, not_alive and wait_until.
source deploy/local/processes.sh

pid_alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# pid_is PIDFILE PROGRAM: the recorded PID is alive AND is PROGRAM (a stale file after a reboot can
# name a PID that now belongs to something else).
pid_is() {
    local pid
    [[ -f $1 ]] || return 1
    pid=$(cat "$1")
    [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2"
}

# stop_pidfile NAME PROGRAM [SECONDS]: SIGTERM the PID in $PID_DIR/NAME.pid if it is PROGRAM, wait,
# SIGKILL after SECONDS (default 30).
stop_pidfile() {
    local name=$1 program=$2 grace=${3:-30} pidfile="$PID_DIR/$1.pid" pid i
    if pid_is "$pidfile" "$program"; then
        pid=$(cat "$pidfile")
        log "stopping $name (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < grace; i++)); do
            alive "$pid" || break
            sleep 1
        done
        if alive "$pid"; then
            log "$name (pid $pid) still running after ${grace}s: SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            sleep 1
        fi
    fi
    rm -f "$pidfile"
}

# port_open HOST PORT: something accepts TCP connections there.
port_open() { timeout 3 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

# write_if_changed FILE [MODE]: replace FILE with stdin (MODE, default 0644) unless the content is the same.
# Succeeds only if FILE changed, so always call it as a condition. The temporary file is 0600 until it has MODE.
write_if_changed() {
    local file=$1 mode=${2:-0644} tmp
    mkdir -p "$(dirname "$file")"
    tmp=$(mktemp "$file.XXXXXX")
    cat >"$tmp"
    if [[ -f $file ]] && cmp -s "$tmp" "$file"; then
        rm -f "$tmp"
        chmod "$mode" "$file"
        return 1
    fi
    chmod "$mode" "$tmp"
    mv "$tmp" "$file"
    log "wrote $file"
}

package_installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true) == "install ok installed" ]]; }

# apt_ensure PACKAGE...: install (without recommends) those not installed yet; apt-get update at most once a run.
apt_ensure() {
    local p missing=()
    for p in "$@"; do package_installed "$p" || missing+=("$p"); done
    if ((${#missing[@]} == 0)); then
        log "packages already installed: $*"
        return
    fi
    if [[ $APT_UPDATED == no ]]; then
        log "apt-get update"
        apt-get update -q >&2 || die "apt-get update failed"
        APT_UPDATED=yes
    fi
    log "installing: ${missing[*]}"
    apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed"
}

# tail_logs FILE...: show the end of each existing FILE on stderr (for failure reports).
tail_logs() {
    local f
    for f in "$@"; do
        [[ -f $f ]] || continue
        printf '[up.sh] ---- last lines of %s\n' "$f" >&2
        tail -n 25 "$f" >&2 || true
    done
}

# start_daemon NAME LOGFILE COMMAND...: start COMMAND detached (own session), record its PID.
start_daemon() {
    local name=$1 logfile=$2; shift 2
    mkdir -p "$PID_DIR" "$(dirname "$logfile")"
    log "starting $name: $* (log: $logfile)"
    printf '\n==== %s starting %s\n' "$(date -Is)" "$name" >>"$logfile"
    setsid "$@" >>"$logfile" 2>&1 </dev/null &
    echo $! >"$PID_DIR/$name.pid"
}

# ---------------------------------------------------------------------------------------------- 1. packages
packages_missing() {
    local p
    for p in "${APT_PACKAGES[@]}"; do
        package_installed "$p" || echo "$p"
    done
}

install_packages() {
    step "1. Debian packages"

    local missing need_arch=no
    missing=$(packages_missing)
    dpkg --print-foreign-architectures | grep -qx arm64 || need_arch=yes

    if [[ -z $missing && $need_arch == no && -x $BUSYBOX_ARM64 ]]; then
        log "all packages installed, arm64 architecture present, arm64 busybox extracted: nothing to do"
        return
    fi
    if [[ $need_arch == yes ]]; then
        log "adding dpkg architecture arm64"
        dpkg --add-architecture arm64
    fi
    log "apt-get update"
    apt-get update -q >&2
    APT_UPDATED=yes
    if [[ -n $missing ]]; then
        log "installing: $(echo $missing)"
        # shellcheck disable=SC2086
        apt-get install -y -q --no-install-recommends $missing >&2
    fi
    fetch_arm64_busybox
}

fetch_arm64_busybox() {
    local dl="${WORK_DIR}/downloads" deb
    log "downloading busybox-static:arm64 (not installing it)"
    mkdir -p "$dl"
    if id _apt >/dev/null 2>&1; then chown _apt "$dl"; fi
    rm -f "$dl"/busybox-static_*_arm64.deb
    # apt-get download drops privileges to _apt when the directory allows it; otherwise it warns only.
    (cd "$dl" && apt-get download -q busybox-static:arm64 >&2)
    deb=$(ls "$dl"/busybox-static_*_arm64.deb | head -n1)
    [[ -f $deb ]] || die "apt-get download busybox-static:arm64 produced no .deb"
    rm -rf "$dl/busybox-static-arm64"
    dpkg-deb -x "$deb" "$dl/busybox-static-arm64"
    [[ -x $BUSYBOX_ARM64 ]] || die "no bin/busybox in $deb"
    log "arm64 busybox at $BUSYBOX_ARM64 (from $(basename "$deb"))"
}

# ---------------------------------------------------------------------------------------------- 2. dockerd
docker_ready() { timeout 10 "$DOCKER" version >/dev/null 2>&1; }

start_dockerd() {
    step "2. dockerd"
    # The host's build gate lives here (Executor:BuildGate): every builder on the host, containers included, opens it.
    [[ -d /run/lock ]] || install -d -m 1777 /run/lock
    if docker_ready; then
        log "dockerd already responding on $DOCKER_SOCK"
        pid_is "$PID_DIR/dockerd.pid" supervise.sh ||
            log "note: this dockerd is not under supervise.sh (an older up.sh, or started by hand), so nothing starts it again if it dies; FACTORY_SERVICES=docker deploy/local/down.sh, then up.sh, puts it there"
        return
    fi
    if pid_alive "$PID_DIR/dockerd.pid"; then
        log "dockerd (pid $(cat "$PID_DIR/dockerd.pid")) is running but not ready yet: waiting"
    else
        # Under supervise.sh, which starts it again if it dies (the pid file names the supervisor; down.sh's SIGTERM
        # reaches dockerd through it). The scripts are copied out of this checkout first: a restart runs
        # start-dockerd.sh again, and the checkout up.sh ran from may be gone by then.
        install -d "$ENGINE_SCRIPTS"
        install -m 0755 deploy/local/supervise.sh deploy/local/start-dockerd.sh deploy/local/processes.sh "$ENGINE_SCRIPTS/"
        start_daemon dockerd "$DOCKERD_LOG" "$ENGINE_SCRIPTS/supervise.sh" dockerd "$ENGINE_SCRIPTS/start-dockerd.sh" --bridge=none --host "unix://${DOCKER_SOCK}"
    fi
    log "waiting up to ${STARTUP_TIMEOUT}s for '$DOCKER version'"
    if ! wait_until "$STARTUP_TIMEOUT" docker_ready; then
        tail -n 20 "$DOCKERD_LOG" >&2 || true
        die "dockerd did not respond within ${STARTUP_TIMEOUT}s (see $DOCKERD_LOG)"
    fi
    log "dockerd is up: engine $("$DOCKER" version -f '{{.Server.Version}}')"
}

# A build with `build: {network: true}` shares this host's network namespace: without the rule it would reach every
# service listening here, the registry and Ceph's daemons included, which check no credential.
install_build_firewall() {
    step "2b. build firewall"
    env DOCKER="$DOCKER" deploy/local/build-firewall.sh install
}

# ---------------------------------------------------------------------------------------------- 3. registry
registry_ready() { curl -fsS --max-time 5 "$REGISTRY_URL/v2/" >/dev/null 2>&1; }

write_registry_config() {
    mkdir -p "$(dirname "$REGISTRY_CONFIG")" "$REGISTRY_DATA"
    # No blob descriptor cache on purpose: with delete enabled an in-memory cache can claim a deleted
    # blob still exists, so a later push skips the upload and leaves a broken image.
    write_if_changed "$REGISTRY_CONFIG" <<EOF || true
# Written by deploy/local/up.sh. Local plain-HTTP registry, loopback only, no auth (builds cannot reach it: step 2b).
version: 0.1
log:
  level: info
  fields:
    service: factory-registry
storage:
  filesystem:
    rootdirectory: ${REGISTRY_DATA}
  delete:
    enabled: true
http:
  addr: ${REGISTRY_HOST}
  headers:
    X-Content-Type-Options: [nosniff]
EOF
}

start_registry() {
    step "3. registry"
    write_registry_config
    if registry_ready; then
        log "registry already responding at $REGISTRY_URL"
        return
    fi
    if pid_alive "$PID_DIR/registry.pid"; then
        log "registry (pid $(cat "$PID_DIR/registry.pid")) is running but not ready yet: waiting"
    else
        start_daemon registry "$REGISTRY_LOG" docker-registry serve "$REGISTRY_CONFIG"
    fi
    if ! wait_until "$STARTUP_TIMEOUT" registry_ready; then
        tail -n 20 "$REGISTRY_LOG" >&2 || true
        die "registry did not answer $REGISTRY_URL/v2/ within ${STARTUP_TIMEOUT}s (see $REGISTRY_LOG)"
    fi
    log "registry is up at $REGISTRY_URL"
}

# ---------------------------------------------------------------------------------------------- 4. QEMU arm64
binfmt_entry_ok() {
    [[ -f $BINFMT_DIR/qemu-aarch64 ]] &&
        grep -qx enabled "$BINFMT_DIR/qemu-aarch64" &&
        grep -Eq '^flags: .*F' "$BINFMT_DIR/qemu-aarch64"
}

register_qemu() {
    step "4. QEMU binfmt for arm64"
    if [[ ! -e $BINFMT_DIR/register ]]; then
        log "mounting binfmt_misc on $BINFMT_DIR"
        mount -t binfmt_misc binfmt_misc "$BINFMT_DIR" || die "cannot mount binfmt_misc"
    fi
    if binfmt_entry_ok; then
        log "qemu-aarch64 already registered (enabled, F flag)"
    else
        if [[ -f $BINFMT_DIR/qemu-aarch64 ]]; then
            log "qemu-aarch64 registered without the F flag (or disabled): re-registering"
            echo -1 >"$BINFMT_DIR/qemu-aarch64"
        fi
        [[ -f $BINFMT_CONF ]] || die "$BINFMT_CONF is missing (is qemu-user-static installed?)"
        local line flags
        line=$(grep -m1 '^:qemu-aarch64:' "$BINFMT_CONF") || die "no :qemu-aarch64: line in $BINFMT_CONF"
        # Format: :name:type:offset:magic:mask:interpreter:flags. F = open the interpreter now, so it
        # also works inside containers whose rootfs does not contain it.
        flags=${line##*:}
        [[ $flags == *F* ]] || line="${line}F"
        log "registering qemu-aarch64 from $BINFMT_CONF (flags ${line##*:})"
        printf '%s' "$line" >"$BINFMT_DIR/register"
        binfmt_entry_ok || die "qemu-aarch64 registration did not take effect"
    fi
    local m
    m=$("$BUSYBOX_ARM64" uname -m 2>/dev/null || true)
    [[ $m == aarch64 ]] || die "arm64 busybox does not run under QEMU (uname -m gave '$m')"
    ARM64_OK=yes
    log "arm64 binaries run (uname -m: $m)"
}

# ---------------------------------------------------------------------------------------------- registry queries
readonly ACCEPT_MANIFESTS=(
    -H "Accept: application/vnd.docker.distribution.manifest.list.v2+json"
    -H "Accept: application/vnd.oci.image.index.v1+json"
    -H "Accept: application/vnd.docker.distribution.manifest.v2+json"
    -H "Accept: application/vnd.oci.image.manifest.v1+json"
)

# registry_digest REPO TAG: print the manifest digest of REPO:TAG, fail if the tag is absent.
registry_digest() {
    curl -fsS --max-time 10 -I "${ACCEPT_MANIFESTS[@]}" "$REGISTRY_URL/v2/$1/manifests/$2" 2>/dev/null |
        tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" { print $2 }' | grep .
}

registry_manifest() { curl -fsS --max-time 10 "${ACCEPT_MANIFESTS[@]}" "$REGISTRY_URL/v2/$1/manifests/$2"; }

# registry_image_arch REPO TAG: architecture recorded in the image config of a single-arch manifest.
registry_image_arch() {
    local config
    config=$(registry_manifest "$1" "$2" | tr -d ' \n' |
        grep -o '"config":{[^}]*}' | grep -o 'sha256:[0-9a-f]*' | head -n1) || return 1
    curl -fsS --max-time 10 "$REGISTRY_URL/v2/$1/blobs/$config" | tr -d ' \n' |
        grep -o '"architecture":"[^"]*"' | head -n1 | cut -d'"' -f4
}

# manifest_list_ok REPO TAG: the tag is a manifest list with a linux/amd64 and a linux/arm64 entry,
# and each entry's image config carries the same architecture.
manifest_list_ok() {
    local repo=$1 tag=$2 json arch digest entry_arch
    json=$(registry_manifest "$repo" "$tag" | tr -d ' \n') || return 1
    [[ $json == *'manifest.list.v2+json'* || $json == *'image.index.v1+json'* ]] || return 1
    for arch in "${ARCHES[@]}"; do
        # each entry: {"mediaType":...,"size":...,"digest":"sha256:...","platform":{"architecture":"arm64",...}}
        digest=$(grep -o '{[^{}]*"digest":"sha256:[0-9a-f]*"[^{}]*"platform":{[^}]*"architecture":"'"$arch"'"[^}]*}' \
            <<<"$json" | grep -o 'sha256:[0-9a-f]*' | head -n1) || return 1
        entry_arch=$(registry_image_arch "$repo" "$digest") || return 1
        [[ $entry_arch == "$arch" ]] || return 1
    done
}

# ---------------------------------------------------------------------------------------------- 5. base images
# build_arch_image NAME ARCH ROOTFS_TAR REF: FROM scratch + ADD rootfs.tar, for linux/ARCH, then push.
build_arch_image() {
    local name=$1 arch=$2 tar=$3 ref=$4
    local ctx="$WORK_DIR/$name/$arch/context"
    rm -rf "$ctx"
    mkdir -p "$ctx"
    mv "$tar" "$ctx/rootfs.tar"
    cat >"$ctx/Dockerfile" <<'EOF'
FROM scratch
ADD rootfs.tar /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["/bin/sh"]
EOF
    log "building $ref (linux/$arch)"
    "$DOCKER" build --platform "linux/$arch" -t "$ref" "$ctx" >&2
    local got
    got=$("$DOCKER" image inspect -f '{{.Os}}/{{.Architecture}}' "$ref")
    [[ $got == "linux/$arch" ]] || die "$ref was built as $got, expected linux/$arch"
    log "pushing $ref"
    "$DOCKER" push "$ref" >&2
    rm -rf "$ctx"
}

# tar_rootfs DIR TAR: tar a root filesystem with numeric root ownership, without /dev, /proc, /sys contents.
tar_rootfs() {
    local dir=$1 tar=$2
    tar --numeric-owner --sort=name --xattrs \
        --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
        -C "$dir" -cf "$tar.tmp" .
    mv "$tar.tmp" "$tar"
}

# make_multiarch NAME REPO TAG ROOTFS_FUNC: build REPO:TAG as an amd64+arm64 manifest list unless present.
make_multiarch() {
    local name=$1 repo=$2 tag=$3 rootfs_func=$4
    local list_ref="$REGISTRY_HOST/$repo:$tag" arch arch_tag arch_ref refs=()
    step "5. base image $list_ref"

    if registry_digest "$repo" "$tag" >/dev/null; then
        if manifest_list_ok "$repo" "$tag"; then
            BASE_DIGESTS[$list_ref]=$(registry_digest "$repo" "$tag")
            log "$list_ref already in the registry (${BASE_DIGESTS[$list_ref]}): not rebuilding"
            return
        fi
        log "WARNING: $list_ref exists but is not a valid amd64+arm64 list: rebuilding it"
    fi
    [[ $ARM64_OK == yes ]] || die "arm64 emulation is not working; cannot build $list_ref"

    for arch in "${ARCHES[@]}"; do
        arch_tag="$tag-$arch"
        arch_ref="$REGISTRY_HOST/$repo:$arch_tag"
        refs+=("$arch_ref")
        if registry_digest "$repo" "$arch_tag" >/dev/null &&
            [[ $(registry_image_arch "$repo" "$arch_tag" || true) == "$arch" ]]; then
            log "$arch_ref already in the registry: reusing it"
            continue
        fi
        local tar="$WORK_DIR/$name/$arch/rootfs.tar"
        mkdir -p "$(dirname "$tar")"
        "$rootfs_func" "$arch" "$tar"
        build_arch_image "$name" "$arch" "$tar" "$arch_ref"
        remove_rootfs "$WORK_DIR/$name/$arch"   # pushed: the work files are no longer needed
    done

    log "creating manifest list $list_ref from ${refs[*]}"
    "$DOCKER" manifest rm "$list_ref" >/dev/null 2>&1 || true
    "$DOCKER" manifest create --insecure "$list_ref" "${refs[@]}" >&2
    for arch in "${ARCHES[@]}"; do
        local variant=()
        [[ $arch == arm64 ]] && variant=(--variant v8)
        "$DOCKER" manifest annotate "$list_ref" "$REGISTRY_HOST/$repo:$tag-$arch" \
            --os linux --arch "$arch" "${variant[@]}"
    done
    "$DOCKER" manifest push --insecure --purge "$list_ref" >&2

    manifest_list_ok "$repo" "$tag" || die "$list_ref in the registry is not a valid amd64+arm64 manifest list"
    BASE_DIGESTS[$list_ref]=$(registry_digest "$repo" "$tag")
    log "pushed $list_ref (${BASE_DIGESTS[$list_ref]})"
}

# --- busybox
busybox_binary() { if [[ $1 == arm64 ]]; then echo "$BUSYBOX_ARM64"; else echo "$BUSYBOX_AMD64"; fi; }

busybox_rootfs() {
    local arch=$1 tar=$2
    local dir="$WORK_DIR/busybox/$arch/rootfs" applet
    log "assembling busybox rootfs for $arch in $dir"
    rm -rf --one-file-system "$dir"
    mkdir -p "$dir"/{bin,etc,root,tmp,var/tmp,usr/bin,proc,sys,dev}
    chmod 1777 "$dir/tmp" "$dir/var/tmp"
    chmod 0700 "$dir/root"
    install -m 0755 "$(busybox_binary "$arch")" "$dir/bin/busybox"
    # The applet list comes from the amd64 binary (same package version and config for both arches).
    for applet in $("$BUSYBOX_AMD64" --list); do
        [[ $applet == busybox ]] && continue
        ln -s busybox "$dir/bin/$applet"
    done
    ln -s ../../bin/busybox "$dir/usr/bin/env"   # for "#!/usr/bin/env" scripts
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$dir/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$dir/etc/group"
    tar_rootfs "$dir" "$tar"
    rm -rf "$dir"
}

# --- debian
debian_rootfs() {
    local arch=$1 tar=$2
    local dir="$WORK_DIR/debian/$arch/rootfs" done_marker="$WORK_DIR/debian/$arch/rootfs.complete"
    if [[ -d $dir && ! -f $done_marker ]]; then
        log "removing incomplete debian rootfs $dir from an earlier run"
        remove_rootfs "$dir"
    fi
    if [[ ! -f $done_marker ]]; then
        log "debootstrap --variant=minbase --arch=$arch $DEBIAN_SUITE (amd64 ~30s, arm64 ~90s)"
        mkdir -p "$(dirname "$dir")"
        debootstrap --variant=minbase --arch="$arch" "$DEBIAN_SUITE" "$dir" "$DEBIAN_MIRROR" >&2 ||
            die "debootstrap for $arch failed (partial rootfs left in $dir; re-run to redo it)"
        configure_debian_rootfs "$dir"
        touch "$done_marker"
    else
        log "reusing completed debian rootfs $dir"
    fi
    tar_rootfs "$dir" "$tar"
}

configure_debian_rootfs() {
    local dir=$1
    log "configuring apt sources and cleaning caches in $dir"
    printf 'deb %s %s main\n' "$DEBIAN_MIRROR" "$DEBIAN_SUITE" >"$dir/etc/apt/sources.list"
    rm -f "$dir"/etc/apt/sources.list.d/*
    # Container conventions (as in the official images): no service starts during package installs,
    # no .deb files kept after installs, no translation downloads.
    printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
    chmod 0755 "$dir/usr/sbin/policy-rc.d"
    cat >"$dir/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
    printf 'Acquire::Languages "none";\n' >"$dir/etc/apt/apt.conf.d/docker-no-languages"
    # Clean apt caches and host leftovers.
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/cache/apt/archives/partial/* "$dir"/var/cache/apt/*.bin
    rm -rf "$dir"/var/lib/apt/lists/*
    mkdir -p "$dir/var/lib/apt/lists/partial"
    rm -rf "$dir"/var/log/*.log "$dir"/var/log/apt/* "$dir"/tmp/* "$dir"/var/tmp/*
    : >"$dir/etc/resolv.conf"
    echo localhost >"$dir/etc/hostname"
}

# remove_rootfs DIR: unmount anything debootstrap left mounted inside DIR, then delete it.
remove_rootfs() {
    local dir=$1 m
    while read -r m; do
        [[ -n $m ]] || continue
        log "unmounting leftover $m"
        umount -l "$m" || true
    done < <(awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r)
    rm -rf --one-file-system "$dir"
}

wanted_base() { [[ " ${FACTORY_BASES//,/ } " == *" $1 "* ]]; }

build_bases() {
    FACTORY_BASES=${FACTORY_BASES:-busybox debian}
    local b
    for b in ${FACTORY_BASES//,/ }; do
        [[ $b == busybox || $b == debian ]] || { CURRENT_STEP="5. base images"; die "unknown base '$b' in FACTORY_BASES"; }
    done
    if wanted_base busybox; then make_multiarch busybox base/busybox 1.35 busybox_rootfs; fi
    if wanted_base debian; then make_multiarch debian base/debian "$DEBIAN_SUITE" debian_rootfs; fi
}

# ---------------------------------------------------------------------------------------------- 5e. credentials
# random_hex BYTES: 2*BYTES lower-case hex digits from the kernel's CSPRNG (safe in URLs, connection strings and shell).
random_hex() { head -c "$1" /dev/urandom | od -An -v -tx1 | tr -d ' \n'; }

# credentials_read: the KEY=VALUE lines of the file into the variables of the same name (only the known keys; the
# file is parsed, never sourced).
credentials_read() {
    local key value
    [[ -f $CREDENTIALS_FILE ]] || return 0
    while IFS='=' read -r key value; do
        case $key in
            FACTORY_AMQP_PASSWORD) AMQP_PASSWORD=$value ;;
            FACTORY_PG_PASSWORD) PG_PASSWORD=$value ;;
            FACTORY_S3_ACCESS_KEY) S3_ACCESS_KEY=$value ;;
            FACTORY_S3_SECRET_KEY) S3_SECRET_KEY=$value ;;
        esac
    done <"$CREDENTIALS_FILE"
}

# ensure_credentials: this install's secrets, generated once (a value missing from the file is generated, the others
# kept), in a 0600 file in a 0700 directory. Services and tests read them from there (deploy/local/fleet.sh,
# deploy/compose/compose.sh, tests/Factory.Testing/LocalCredentials.cs).
ensure_credentials() {
    step "5e. credentials"
    mkdir -p "$CREDENTIALS_DIR"
    chmod 0700 "$CREDENTIALS_DIR"
    credentials_read
    local generated=no
    if [[ -z $AMQP_PASSWORD ]]; then AMQP_PASSWORD=$(random_hex 24); generated=yes; fi
    if [[ -z $PG_PASSWORD ]]; then PG_PASSWORD=$(random_hex 24); generated=yes; fi
    if [[ -z $S3_ACCESS_KEY ]]; then S3_ACCESS_KEY=$(random_hex 10 | tr a-f A-F); generated=yes; fi
    if [[ -z $S3_SECRET_KEY ]]; then S3_SECRET_KEY=$(random_hex 30); generated=yes; fi
    if write_if_changed "$CREDENTIALS_FILE" 0600 <<END_CREDENTIALS; then log "credentials written (generated: $generated)"; fi
# Written by deploy/local/up.sh: this install's credentials for RabbitMQ, PostgreSQL and Ceph RGW (S3). Root only.
# Read by deploy/local/fleet.sh, deploy/compose/compose.sh and the tests. Rotate: delete this file and rerun up.sh
# (it sets the new passwords and S3 key on the services), then restart the fleet.
FACTORY_AMQP_USER=$AMQP_USER
FACTORY_AMQP_PASSWORD=$AMQP_PASSWORD
FACTORY_PG_USER=$PG_USER
FACTORY_PG_PASSWORD=$PG_PASSWORD
FACTORY_S3_ACCESS_KEY=$S3_ACCESS_KEY
FACTORY_S3_SECRET_KEY=$S3_SECRET_KEY
END_CREDENTIALS
    [[ $(stat -c %a "$CREDENTIALS_FILE") == 600 && $(stat -c %a "$CREDENTIALS_DIR") == 700 ]] ||
        die "$CREDENTIALS_FILE must be mode 0600 in a 0700 directory"
    log "credentials in $CREDENTIALS_FILE (mode 0600, root only)"
}

# ---------------------------------------------------------------------------------------------- 6. RabbitMQ
# rabbitmq-server/rabbitmqctl run as root switch to the rabbitmq user themselves (Debian wrapper).
rmq() { (cd / && timeout 60 rabbitmqctl -q "$@"); }
rabbitmq_alive() { (cd / && timeout 20 rabbitmqctl -q ping) >/dev/null 2>&1; }
rabbitmq_booted() { (cd / && timeout 30 rabbitmqctl -q await_startup --timeout 20) >/dev/null 2>&1; }

rabbitmq_node_log() { echo "$RABBITMQ_LOG_DIR/rabbit@$(hostname -s).log"; }

# amqp_handshake: send the AMQP 0-9-1 protocol header and expect the broker's Connection.Start frame
# (frame type 1, channel 0, class 10, method 10).
amqp_handshake() {
    local reply
    reply=$(timeout 5 bash -c "exec 3<>/dev/tcp/$AMQP_HOST/$AMQP_PORT && printf 'AMQP\\x00\\x00\\x09\\x01' >&3 &&
        head -c 11 <&3 | od -An -tx1" 2>/dev/null | tr -d ' \n') || return 1
    [[ $reply == 010000* && ${reply:14:8} == 000a000a ]]
}

# rabbitmq_node_info: "PID LISTENERS" of the running node, e.g. '2166 {ok,[{"127.0.0.1",5672}]}'
# (one CLI call: each rabbitmqctl run starts an Erlang VM, ~0.6 s).
rabbitmq_node_info() {
    rmq eval '{P, L} = {os:getpid(), application:get_env(rabbit, tcp_listeners)}, io:format("~s ~p~n", [P, L]), ok.' |
        head -n1 | tr -d "\t"
}

rabbitmq_stop_node() {
    log "stopping the RabbitMQ node (rabbitmqctl stop)"
    local pid
    pid=$(rmq eval 'os:getpid().' 2>/dev/null | tr -d '"') || true
    rmq stop >&2 || true
    if [[ $pid =~ ^[0-9]+$ ]]; then
        wait_until 30 not_alive "$pid" || die "RabbitMQ (pid $pid) did not stop within 30s"
    fi
    rm -f "$PID_DIR/rabbitmq.pid"
}

rabbitmq_enable_management() {
    if ! ls -d /usr/lib/rabbitmq/lib/rabbitmq_server-*/plugins/rabbitmq_management-* >/dev/null 2>&1; then
        log "rabbitmq_management plugin is not shipped: skipping it (optional)"
        return
    fi
    RABBITMQ_MGMT=yes
    if grep -q 'rabbitmq_management[],]' "$RABBITMQ_ENABLED_PLUGINS_FILE" 2>/dev/null; then
        log "management plugin already enabled"
        return
    fi
    local offline=()
    if rabbitmq_alive; then
        log "enabling the management plugin on the running node"
    else
        log "enabling the management plugin (offline)"
        offline=(--offline)
    fi
    if ! (cd / && timeout 60 rabbitmq-plugins enable "${offline[@]}" rabbitmq_management) >&2; then
        log "WARNING: could not enable rabbitmq_management (optional): continuing without it"
        RABBITMQ_MGMT=no
    fi
}

# rabbitmq_mgmt_as USER PASSWORD PATH: GET from the management API with basic auth (the credentials go to curl on
# stdin, never on a command line that ps shows to everyone).
rabbitmq_mgmt_as() {
    printf 'user = "%s:%s"\n' "$1" "$2" | curl -fsS --max-time 5 -K - "http://127.0.0.1:${RABBITMQ_MGMT_PORT}$3"
}
rabbitmq_mgmt_ok() { rabbitmq_mgmt_as "$AMQP_USER" "$AMQP_PASSWORD" /api/overview 2>/dev/null | grep -q '"rabbitmq_version"'; }

# rabbitmq_authenticates USER PASSWORD: the broker accepts them (rabbitmqctl reads the password from stdin).
rabbitmq_authenticates() { printf '%s\n' "$2" | rmq authenticate_user "$1" >/dev/null 2>&1; }

# rabbitmq_ensure_user: the factory user with this install's password, administrator (management UI), all rights on
# every vhost (tests add theirs and grant it the same); the default user guest, whose password everyone knows, deleted.
rabbitmq_ensure_user() {
    local users vhost
    users=$(rmq list_users -s) || die "rabbitmqctl list_users failed"
    if ! awk '{ print $1 }' <<<"$users" | grep -qx "$AMQP_USER"; then
        log "creating RabbitMQ user $AMQP_USER"
        printf '%s\n' "$AMQP_PASSWORD" | rmq add_user "$AMQP_USER" >/dev/null || die "rabbitmqctl add_user $AMQP_USER failed"
    elif ! rabbitmq_authenticates "$AMQP_USER" "$AMQP_PASSWORD"; then
        log "RabbitMQ user $AMQP_USER does not have this install's password: setting it"
        printf '%s\n' "$AMQP_PASSWORD" | rmq change_password "$AMQP_USER" >/dev/null || die "rabbitmqctl change_password $AMQP_USER failed"
    else
        log "RabbitMQ user $AMQP_USER exists with this install's password"
    fi
    rmq set_user_tags "$AMQP_USER" administrator >/dev/null || die "rabbitmqctl set_user_tags $AMQP_USER failed"
    while read -r vhost; do
        [[ -n $vhost ]] || continue
        rmq set_permissions -p "$vhost" "$AMQP_USER" '.*' '.*' '.*' >/dev/null || die "rabbitmqctl set_permissions -p $vhost $AMQP_USER failed"
    done < <(rmq list_vhosts -s)
    if awk '{ print $1 }' <<<"$users" | grep -qx guest; then
        log "deleting the RabbitMQ default user guest"
        rmq delete_user guest >/dev/null || die "rabbitmqctl delete_user guest failed"
    fi
    rabbitmq_authenticates "$AMQP_USER" "$AMQP_PASSWORD" || die "$AMQP_USER cannot log in with the password in $CREDENTIALS_FILE"
    ! rabbitmq_authenticates guest guest || die "guest/guest still logs in"
}

start_rabbitmq() {
    step "6. rabbitmq"
    apt_ensure rabbitmq-server
    local host
    host=$(hostname -s)
    getent hosts "$host" >/dev/null || die "the host name '$host' does not resolve (the node is rabbit@$host): add it to /etc/hosts"
    rabbitmq_enable_management

    if rabbitmq_alive; then
        log "RabbitMQ node rabbit@$host is already running"
    else
        rabbitmq_start_node
    fi
    rabbitmq_wait_booted

    local info pid listeners expected="{ok,[{\"$AMQP_HOST\",$AMQP_PORT}]}"
    info=$(rabbitmq_node_info) || die "rabbitmqctl eval failed"
    pid=${info%% *} listeners=${info#* }
    if [[ $listeners != "$expected" ]]; then
        # e.g. started by a package's init script without our environment: all interfaces.
        log "the running node's AMQP listeners are $listeners, not $expected: restarting it"
        rabbitmq_stop_node
        rabbitmq_start_node
        rabbitmq_wait_booted
        info=$(rabbitmq_node_info) || die "rabbitmqctl eval failed"
        pid=${info%% *} listeners=${info#* }
        [[ $listeners == "$expected" ]] || die "RabbitMQ listens on $listeners, expected $expected"
    fi
    [[ $pid =~ ^[0-9]+$ ]] || die "could not read the RabbitMQ OS pid (got '$info')"
    mkdir -p "$PID_DIR"
    echo "$pid" >"$PID_DIR/rabbitmq.pid"

    amqp_handshake || die "no AMQP Connection.Start from $AMQP_HOST:$AMQP_PORT"
    rabbitmq_ensure_user
    if [[ $RABBITMQ_MGMT == yes ]] && wait_until 20 rabbitmq_mgmt_ok; then
        log "management API answers on 127.0.0.1:${RABBITMQ_MGMT_PORT} ($AMQP_USER, password in $CREDENTIALS_FILE)"
    elif [[ $RABBITMQ_MGMT == yes ]]; then
        log "WARNING: management API on 127.0.0.1:${RABBITMQ_MGMT_PORT} does not answer (optional): ignoring it"
        RABBITMQ_MGMT=no
    fi
    log "RabbitMQ is up (pid $pid): AMQP handshake and $AMQP_USER login OK, guest gone"
}

rabbitmq_start_node() {
    local p
    for p in "$AMQP_PORT" 25672; do
        ! port_open 127.0.0.1 "$p" || die "port $p is in use but no RabbitMQ node answers: stop whatever holds it"
    done
    log "starting RabbitMQ: rabbitmq-server -detached (node log: $(rabbitmq_node_log))"
    printf '\n==== %s starting rabbitmq\n' "$(date -Is)" >>"$RABBITMQ_STARTUP_LOG"
    (cd / && rabbitmq-server -detached) >>"$RABBITMQ_STARTUP_LOG" 2>&1 ||
        { tail_logs "$RABBITMQ_STARTUP_LOG"; die "rabbitmq-server -detached failed"; }
}

# await_startup fails at once while a detached node has not registered with epmd yet: poll it.
rabbitmq_wait_booted() {
    if ! wait_until "$STARTUP_TIMEOUT" rabbitmq_booted; then
        tail_logs "$RABBITMQ_STARTUP_LOG" "$(rabbitmq_node_log)"
        die "RabbitMQ did not finish booting within ${STARTUP_TIMEOUT}s (run 'rabbitmq-server' in the foreground to see why)"
    fi
}

# ---------------------------------------------------------------------------------------------- 7. PostgreSQL
pg_cluster_field() {   # pg_cluster_field N: column N of 'pg_lsclusters' for our cluster (empty if absent)
    pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" -v n="$1" '$1 == v && $2 == c { print $n }'
}
pg_online() { [[ $(pg_cluster_field 4) == online* ]]; }
pg_accepting() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 3; }
pg_log() { echo "/var/log/postgresql/postgresql-${PG_VERSION}-${PG_CLUSTER}.log"; }

# pg_admin SQL: run SQL as the postgres superuser over the Unix socket; prints unaligned tuples. The SQL goes on stdin
# (it can hold a password, which a command line would show to everyone).
pg_admin() { (cd / && timeout 60 runuser -u postgres -- psql -X -q -A -t -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres -f - <<<"$1"); }

# pg_login_without_password USER: a TCP login as USER that offers no password succeeds (trust): it must not.
pg_login_without_password() {
    PGPASSWORD="" PGPASSFILE=/dev/null PGCONNECT_TIMEOUT=5 timeout 30 \
        psql -X -q -w -A -t -h "$PG_HOST" -p "$PG_PORT" -U "$1" -d "$PG_DATABASE" -c 'select 1' >/dev/null 2>&1
}

# pg_factory SQL [DB]: run SQL as the factory role over TCP with its password (what the tests do).
pg_factory() {
    PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=5 timeout 30 \
        psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "${2:-$PG_DATABASE}" -c "$1"
}

pg_write_config() {
    write_if_changed "$PG_FACTORY_CONF" <<END_CONF
# Written by deploy/local/up.sh: loopback only, the usual port.
listen_addresses = 'localhost'
port = ${PG_PORT}
END_CONF
}

start_postgres() {
    step "7. postgres"
    apt_ensure postgresql
    if [[ -z $(pg_cluster_field 1) ]]; then
        log "cluster $PG_VERSION/$PG_CLUSTER does not exist: pg_createcluster $PG_VERSION $PG_CLUSTER"
        pg_createcluster "$PG_VERSION" "$PG_CLUSTER" >&2 || die "pg_createcluster $PG_VERSION $PG_CLUSTER failed"
    fi

    local changed=no
    if pg_write_config; then changed=yes; fi
    if pg_online && [[ $changed == yes ]]; then
        log "configuration changed: restarting cluster $PG_VERSION/$PG_CLUSTER"
        pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" restart >&2 ||
            { tail_logs "$(pg_log)"; die "pg_ctlcluster $PG_VERSION $PG_CLUSTER restart failed"; }
    elif pg_online; then
        log "cluster $PG_VERSION/$PG_CLUSTER is already online"
    else
        ! port_open "$PG_HOST" "$PG_PORT" || die "port $PG_PORT is in use but cluster $PG_VERSION/$PG_CLUSTER is not online"
        log "starting cluster $PG_VERSION/$PG_CLUSTER (log: $(pg_log))"
        pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start >&2 ||
            { tail_logs "$(pg_log)"; die "pg_ctlcluster $PG_VERSION $PG_CLUSTER start failed"; }
    fi
    if ! wait_until "$STARTUP_TIMEOUT" pg_accepting; then
        tail_logs "$(pg_log)"
        die "PostgreSQL does not accept connections on $PG_HOST:$PG_PORT within ${STARTUP_TIMEOUT}s"
    fi

    local datadir pid
    datadir=$(pg_cluster_field 6)
    pid=$(head -n1 "$datadir/postmaster.pid" 2>/dev/null || true)
    [[ $pid =~ ^[0-9]+$ ]] || die "no postmaster pid in $datadir/postmaster.pid"
    mkdir -p "$PID_DIR"
    echo "$pid" >"$PID_DIR/postgres.pid"

    pg_ensure_role_and_database
    [[ $(pg_factory 'select 1') == 1 ]] || die "'select 1' as $PG_USER on $PG_HOST:$PG_PORT/$PG_DATABASE failed"
    # Tests create throwaway databases: prove the role can.
    local probe="factory_probe_$$"
    { pg_factory "create database $probe" >/dev/null && pg_factory "drop database $probe" >/dev/null; } ||
        die "role $PG_USER cannot create and drop a database"
    ! pg_login_without_password "$PG_USER" && ! pg_login_without_password postgres ||
        die "PostgreSQL lets $PG_USER or postgres log in over TCP without a password: remove 'trust' for host lines from pg_hba.conf"
    log "PostgreSQL is up (pid $pid): password login as $PG_USER, CREATE DATABASE and no login without a password OK"
}

pg_ensure_role_and_database() {
    local attrs owner
    attrs=$(pg_admin "select rolcanlogin::text || ',' || rolcreatedb::text from pg_roles where rolname = '$PG_USER'") ||
        die "cannot query pg_roles as postgres"
    if [[ -z $attrs ]]; then
        log "creating role $PG_USER (LOGIN CREATEDB)"
        pg_admin "create role $PG_USER login createdb password '$PG_PASSWORD'" || die "create role $PG_USER failed"
    elif [[ $attrs != "true,true" ]]; then
        log "role $PG_USER exists without LOGIN/CREATEDB ($attrs): granting them"
        pg_admin "alter role $PG_USER login createdb" || die "alter role $PG_USER failed"
    else
        log "role $PG_USER exists (LOGIN CREATEDB)"
    fi
    owner=$(pg_admin "select pg_get_userbyid(datdba) from pg_database where datname = '$PG_DATABASE'") ||
        die "cannot query pg_database as postgres"
    if [[ -z $owner ]]; then
        log "creating database $PG_DATABASE owned by $PG_USER"
        pg_admin "create database $PG_DATABASE owner $PG_USER" || die "create database $PG_DATABASE failed"
    elif [[ $owner != "$PG_USER" ]]; then
        log "database $PG_DATABASE is owned by $owner: giving it to $PG_USER"
        pg_admin "alter database $PG_DATABASE owner to $PG_USER" || die "alter database $PG_DATABASE failed"
    else
        log "database $PG_DATABASE exists (owner $PG_USER)"
    fi
    # Set the password only when it does not work (setting it again would change the stored hash); after a rotation or
    # on a machine set up with the old fixed password, it does not.
    if ! pg_factory 'select 1' >/dev/null 2>&1; then
        log "password login as $PG_USER with the password in $CREDENTIALS_FILE fails: setting it"
        pg_admin "alter role $PG_USER password '$PG_PASSWORD'" || die "alter role $PG_USER password failed"
    fi
}

# ---------------------------------------------------------------------------------------------- 8. Ceph RGW
ceph_cli() { timeout 30 ceph -c "$CEPH_CONFIG" --connect-timeout 15 "$@"; }
rgw_admin() { timeout 60 radosgw-admin -c "$CEPH_CONFIG" "$@"; }
ceph_mon_ok() { ceph_cli mon stat >/dev/null 2>&1; }
ceph_osd_up() { ceph_cli osd stat -f json 2>/dev/null | tr -d ' \n' | grep -q '"num_up_osds":1,'; }
rgw_http_ok() { curl -fsS --max-time 5 "$S3_URL/" 2>/dev/null | grep -q ListAllMyBucketsResult; }
ceph_logs() {
    tail_logs "$CEPH_LOG_DIR/mkfs.log" "$CEPH_LOG_DIR/mon.$CEPH_MON_ID.log" "$CEPH_LOG_DIR/ceph-mon.$CEPH_MON_ID.log" \
        "$CEPH_LOG_DIR/osd.0.log" "$CEPH_LOG_DIR/ceph-osd.0.log" \
        "$CEPH_LOG_DIR/rgw.log" "$CEPH_LOG_DIR/ceph-$CEPH_RGW_NAME.log"
}
ceph_die() { ceph_logs; die "$@"; }

ceph_write_config() {
    # memstore keeps objects in RAM; "device bytes" is the capacity it reports (fullness checks use it).
    write_if_changed "$CEPH_CONFIG" <<END_CONF
# Written by deploy/local/up.sh: a throwaway single-node Ceph (one mon, one memstore OSD, radosgw),
# loopback only, no authentication. Use it with: ceph -c $CEPH_CONFIG -s
[global]
fsid = $CEPH_FSID
mon initial members = $CEPH_MON_ID
mon host = [v2:127.0.0.1:3300,v1:127.0.0.1:6789]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
public network = 127.0.0.0/8
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc
ms client mode = crc
run dir = $CEPH_RUN_DIR
admin socket = $CEPH_RUN_DIR/\$cluster-\$name.asok
log file = $CEPH_LOG_DIR/\$cluster-\$name.log
mon cluster log file = $CEPH_LOG_DIR/\$cluster.log
mon cluster log file level = info
mon data = $CEPH_DATA/mon/\$cluster-\$id
osd data = $CEPH_DATA/osd/\$cluster-\$id
osd objectstore = memstore
memstore device bytes = 4294967296
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon allow pool delete = true
osd crush chooseleaf type = 0
mon data avail warn = 5
mon warn on pool no redundancy = false
mon warn on insecure global id reclaim allowed = false

[$CEPH_RGW_NAME]
rgw frontends = beast endpoint=${S3_HOST}:${S3_PORT}
rgw data = $CEPH_DATA/radosgw/\$cluster-\$id
END_CONF
}

s3cmd_write_config() {
    # The fixed keys' config of earlier versions of this script: those keys no longer work.
    rm -f "$S3CMD_CONFIG_OLD"
    write_if_changed "$S3CMD_CONFIG" 0600 <<END_CONF
# Written by deploy/local/up.sh: s3cmd -c $S3CMD_CONFIG ls
[default]
access_key = $S3_ACCESS_KEY
secret_key = $S3_SECRET_KEY
host_base = ${S3_HOST}:${S3_PORT}
host_bucket = ${S3_HOST}:${S3_PORT}
bucket_location = us-east-1
use_https = False
check_ssl_certificate = False
signature_v2 = False
END_CONF
}

# ceph_stop_all: before re-creating the cluster. Short grace periods: nothing in it is kept, and radosgw
# hangs on SIGTERM while its OSD is gone.
ceph_stop_all() {
    stop_pidfile ceph-rgw radosgw 5
    stop_pidfile ceph-osd ceph-osd 5
    stop_pidfile ceph-mon ceph-mon 5
}

# ceph_create: a new cluster from scratch (mon, then one memstore OSD); radosgw is started afterwards.
ceph_create() {
    local p
    for p in 3300 6789 "$S3_PORT"; do
        ! port_open 127.0.0.1 "$p" || die "port $p is in use by a process that up.sh did not record in $PID_DIR: stop it first"
    done
    log "creating a new Ceph cluster in $CEPH_DATA (fsid $CEPH_FSID)"
    rm -rf --one-file-system "$CEPH_DATA"
    rm -f "$CEPH_LOG_DIR/mkfs.log"
    mkdir -p "$CEPH_DATA/mon/ceph-$CEPH_MON_ID" "$CEPH_DATA/osd/ceph-0" "$CEPH_DATA/radosgw/ceph-rgw.factory" \
        "$CEPH_LOG_DIR" "$CEPH_RUN_DIR"
    monmaptool --create --addv "$CEPH_MON_ID" '[v2:127.0.0.1:3300,v1:127.0.0.1:6789]' --fsid "$CEPH_FSID" \
        "$CEPH_DATA/monmap" >>"$CEPH_LOG_DIR/mkfs.log" 2>&1 || ceph_die "monmaptool failed"
    ceph-mon -c "$CEPH_CONFIG" --mkfs -i "$CEPH_MON_ID" --monmap "$CEPH_DATA/monmap" >>"$CEPH_LOG_DIR/mkfs.log" 2>&1 ||
        ceph_die "ceph-mon --mkfs failed"
    start_daemon ceph-mon "$CEPH_LOG_DIR/mon.$CEPH_MON_ID.log" ceph-mon -c "$CEPH_CONFIG" -i "$CEPH_MON_ID" -f
    wait_until 30 ceph_mon_ok || ceph_die "ceph-mon did not answer within 30s"
    log "ceph-mon is up (pid $(cat "$PID_DIR/ceph-mon.pid"))"

    local uuid id
    uuid=$(cat /proc/sys/kernel/random/uuid)
    id=$(ceph_cli osd new "$uuid") || ceph_die "'ceph osd new' failed"
    [[ $id == 0 ]] || ceph_die "the new cluster gave OSD id '$id', expected 0"
    ceph-osd -c "$CEPH_CONFIG" -i 0 --mkfs --osd-uuid "$uuid" >>"$CEPH_LOG_DIR/mkfs.log" 2>&1 ||
        ceph_die "ceph-osd --mkfs failed"
    start_daemon ceph-osd "$CEPH_LOG_DIR/osd.0.log" ceph-osd -c "$CEPH_CONFIG" -i 0 -f
    wait_until 60 ceph_osd_up || ceph_die "osd.0 did not come up within 60s"
    log "ceph-osd is up (pid $(cat "$PID_DIR/ceph-osd.pid"))"
}

s3cmd_() { timeout 60 s3cmd -c "$S3CMD_CONFIG" --no-progress "$@"; }

# s3_roundtrip: signed requests as the factory user: make a bucket, put, get, compare, delete.
s3_roundtrip() {
    local bucket="factory-probe-$$-$RANDOM" dir rc=0
    dir=$(mktemp -d)
    head -c 100000 /dev/urandom >"$dir/in"
    {
        s3cmd_ mb "s3://$bucket" &&
            s3cmd_ put "$dir/in" "s3://$bucket/probe.bin" &&
            s3cmd_ get --force "s3://$bucket/probe.bin" "$dir/out" &&
            cmp -s "$dir/in" "$dir/out" &&
            s3cmd_ del "s3://$bucket/probe.bin" &&
            s3cmd_ rb "s3://$bucket"
    } >"$dir/log" 2>&1 || rc=1
    if ((rc != 0)); then
        cat "$dir/log" >&2
        s3cmd_ rb --recursive --force "s3://$bucket" >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    return "$rc"
}

# s3_user_keys: the access keys of the S3 user, one a line.
s3_user_keys() {
    rgw_admin user info --uid="$S3_UID" 2>/dev/null | tr -d ' \n' | grep -o '"access_key":"[^"]*"' | cut -d'"' -f4
}

# s3_ensure_user: the S3 user whose only key is this install's (an older key, such as the fixed one earlier versions
# of this script made, or the one before a rotation, is removed).
s3_ensure_user() {
    local info key
    if info=$(rgw_admin user info --uid="$S3_UID" 2>/dev/null); then
        if tr -d ' \n' <<<"$info" | grep -q "\"access_key\":\"$S3_ACCESS_KEY\",\"secret_key\":\"$S3_SECRET_KEY\""; then
            log "S3 user $S3_UID has this install's key"
        else
            log "S3 user $S3_UID exists without this install's key: adding it"
            rgw_admin key create --uid="$S3_UID" --key-type=s3 --access-key="$S3_ACCESS_KEY" \
                --secret-key="$S3_SECRET_KEY" >/dev/null || ceph_die "radosgw-admin key create failed"
        fi
        for key in $(s3_user_keys); do
            [[ $key != "$S3_ACCESS_KEY" ]] || continue
            log "removing the S3 user's other access key $key"
            rgw_admin key rm --uid="$S3_UID" --key-type=s3 --access-key="$key" >/dev/null || ceph_die "radosgw-admin key rm failed"
        done
    else
        log "creating S3 user $S3_UID"
        rgw_admin user create --uid="$S3_UID" --display-name=Factory --access-key="$S3_ACCESS_KEY" \
            --secret-key="$S3_SECRET_KEY" >/dev/null || ceph_die "radosgw-admin user create failed"
    fi
}

start_ceph() {
    step "8. ceph"
    apt_ensure "${CEPH_PACKAGES[@]}"
    mkdir -p "$CEPH_LOG_DIR" "$CEPH_RUN_DIR"
    local conf_changed=no
    if ceph_write_config; then conf_changed=yes; fi
    s3cmd_write_config || true

    if [[ $conf_changed == no ]] && pid_is "$PID_DIR/ceph-mon.pid" ceph-mon &&
        pid_is "$PID_DIR/ceph-osd.pid" ceph-osd && ceph_mon_ok && ceph_osd_up; then
        log "ceph-mon (pid $(cat "$PID_DIR/ceph-mon.pid")) and ceph-osd (pid $(cat "$PID_DIR/ceph-osd.pid")) are running"
    else
        if [[ $conf_changed == yes ]]; then
            log "$CEPH_CONFIG changed: re-creating the cluster"
        else
            log "ceph-mon/ceph-osd not running (or not healthy): re-creating the cluster"
        fi
        ceph_stop_all
        ceph_create
    fi

    if pid_is "$PID_DIR/ceph-rgw.pid" radosgw; then
        log "radosgw is running (pid $(cat "$PID_DIR/ceph-rgw.pid"))"
    else
        ! port_open "$S3_HOST" "$S3_PORT" ||
            die "port $S3_PORT is in use by a process that up.sh did not record in $PID_DIR/ceph-rgw.pid: stop it first"
        start_daemon ceph-rgw "$CEPH_LOG_DIR/rgw.log" radosgw -c "$CEPH_CONFIG" -n "$CEPH_RGW_NAME" -f
    fi
    # The first start creates the RGW pools: ~10 s.
    if ! wait_until "$CEPH_TIMEOUT" rgw_http_ok; then
        ceph_die "radosgw did not answer $S3_URL/ within ${CEPH_TIMEOUT}s"
    fi

    s3_ensure_user
    [[ $(s3_user_keys) == "$S3_ACCESS_KEY" ]] || ceph_die "the S3 user $S3_UID has keys other than this install's: $(s3_user_keys | tr '\n' ' ')"
    s3_roundtrip || ceph_die "signed S3 round trip (s3cmd mb/put/get/del/rb against $S3_URL) failed"
    log "Ceph RGW is up at $S3_URL: anonymous ListAllMyBuckets and a signed put/get/delete as $S3_UID OK"
}

# ---------------------------------------------------------------------------------------------- 9. summary
summary() {
    step "9. summary"
    local ref
    echo "Factory local stack is up (services: ${SERVICES[*]})"
    if wanted_service docker; then
        echo "  engine:   $("$DOCKER" version -f '{{.Server.Version}}') (unix://${DOCKER_SOCK}, CLI $DOCKER)"
        echo "  registry: $REGISTRY_URL (data $REGISTRY_DATA)"
        echo "  arm64:    $ARM64_OK"
        for ref in $(printf '%s\n' "${!BASE_DIGESTS[@]}" | sort); do
            echo "  base:     $ref@${BASE_DIGESTS[$ref]}"
        done
    fi
    if wanted_service rabbitmq; then
        echo "  amqp:     amqp://${AMQP_USER}@${AMQP_HOST}:${AMQP_PORT}/ (FACTORY_AMQP_USER / FACTORY_AMQP_PASSWORD)"
        if [[ $RABBITMQ_MGMT == yes ]]; then
            echo "  rabbitmq: management http://127.0.0.1:${RABBITMQ_MGMT_PORT}/ (the same user)"
        fi
    fi
    if wanted_service postgres; then
        echo "  postgres: Host=${PG_HOST};Port=${PG_PORT};Username=${PG_USER};Database=${PG_DATABASE} (FACTORY_PG_PASSWORD; role may CREATE DATABASE)"
    fi
    if wanted_service ceph; then
        echo "  s3:       $S3_URL (FACTORY_S3_ACCESS_KEY / FACTORY_S3_SECRET_KEY; path-style, region us-east-1; s3cmd -c $S3CMD_CONFIG)"
    fi
    if wanted_service rabbitmq || wanted_service postgres || wanted_service ceph; then
        echo "  secrets:  $CREDENTIALS_FILE (root only; fleet.sh and compose.sh read it; delete it and rerun up.sh to rotate)"
    fi
}

# ---------------------------------------------------------------------------------------------- 5b. prometheus
# The metrics tests run a real Prometheus of their own (their own config, a free port, stopped by PID): only the
# binary is needed. The package must not leave a service running: policy-rc.d keeps it from starting on install.
install_prometheus() {
    step "5b. prometheus (installed for the tests, not started)"
    if package_installed prometheus; then
        log "prometheus already installed"
    else
        local policy=/usr/sbin/policy-rc.d created=no
        if [[ ! -e $policy ]]; then
            printf '#!/bin/sh\nexit 101\n' >"$policy"
            chmod +x "$policy"
            created=yes
        fi
        apt_ensure prometheus
        [[ $created == yes ]] && rm -f "$policy"
    fi
    if [[ -d /run/systemd/system ]] && systemctl is-enabled --quiet prometheus 2>/dev/null; then
        log "disabling the prometheus system service"
        systemctl disable --now prometheus >&2 || true
    fi
    command -v prometheus >/dev/null || die "prometheus is not on PATH after installing the package"
}

# ---------------------------------------------------------------------------------------------- 5c. docker-compose
# The compose acceptance test drives deploy/compose with Debian's docker-compose (1.29).
install_compose() {
    step "5c. docker-compose (for deploy/compose and its test)"
    apt_ensure docker-compose
    command -v docker-compose >/dev/null || die "docker-compose is not on PATH after installing the package"
}

# ---------------------------------------------------------------------------------------------- 5d. test tools
# What the tests need beside the services, so that `deploy/local/up.sh && dotnet test Factory.sln` is all a newcomer
# runs: the CycloneDX schemas and validator, the Kubernetes and KEDA schemas (npm), Debian's chromium. Each is idempotent.
install_test_tools() {
    step "5d. test tools (schemas from npm, chromium)"
    local repo script
    repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    for script in tests/schemas/install.sh tests/k8s/install.sh tests/browser/install.sh; do
        [[ -f $repo/$script ]] || continue
        log "running $script"
        bash "$repo/$script" >&2 || die "$script failed"
    done
}

# ---------------------------------------------------------------------------------------------- main
SERVICES=()
wanted_service() { [[ " ${SERVICES[*]} " == *" $1 "* ]]; }

parse_services() {
    local list s
    CURRENT_STEP="FACTORY_SERVICES"
    list=${FACTORY_SERVICES:-$ALL_SERVICES}
    for s in ${list//,/ }; do
        [[ " $ALL_SERVICES " == *" $s "* ]] || die "unknown service '$s' in FACTORY_SERVICES (known: $ALL_SERVICES)"
        wanted_service "$s" || SERVICES+=("$s")
    done
    ((${#SERVICES[@]} > 0)) || die "FACTORY_SERVICES selects no service (known: $ALL_SERVICES)"
}

main() {
    local started=$SECONDS
    [[ $EUID -eq 0 ]] || die "must run as root"
    parse_services
    log "services: ${SERVICES[*]}"
    if wanted_service docker; then
        install_packages
        start_dockerd
        install_build_firewall
        start_registry
        register_qemu
        build_bases
        install_prometheus
        install_compose
        install_test_tools
    fi
    if wanted_service rabbitmq || wanted_service postgres || wanted_service ceph; then ensure_credentials; fi
    if wanted_service rabbitmq; then start_rabbitmq; fi
    if wanted_service postgres; then start_postgres; fi
    if wanted_service ceph; then start_ceph; fi
    summary
    log "done in $((SECONDS - started))s"
}

main "$@"
