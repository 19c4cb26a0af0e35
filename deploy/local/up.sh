#!/usr/bin/env bash
# Bring up the local Factory container stack on a Debian 12 machine (run as root):
#   1. Debian packages (docker.io, docker-registry, qemu-user-static, ...) and an arm64 busybox binary
#   2. dockerd (no bridge) on unix:///var/run/docker.sock
#   3. a plain-HTTP registry on 127.0.0.1:5000 (filesystem storage, delete enabled)
#   4. QEMU binfmt registration for arm64 (with the F flag, so it also works inside containers)
#   5. multi-arch (amd64 + arm64) base images, each built ONLY if its tag is not yet in the registry:
#        127.0.0.1:5000/base/busybox:1.35
#        127.0.0.1:5000/base/debian:bookworm
#   6. a short summary on stdout
#
# Idempotent: every step checks first and does nothing if its result is already there, so a second
# run takes seconds and never rebuilds (rebuilding would change the base image digests).
#
# Environment:
#   FACTORY_BASES   space/comma separated list of bases to build: "busybox debian" (default) or "busybox"
#
# Everything is logged to stderr; the summary goes to stdout. Stop the daemons with deploy/local/down.sh.
set -Eeuo pipefail

cd "$(dirname "$0")/../.."

# ---------------------------------------------------------------------------------------------- settings
readonly REGISTRY_HOST=127.0.0.1:5000
readonly REGISTRY_URL="http://${REGISTRY_HOST}"
readonly REGISTRY_CONFIG=/etc/factory/registry.yml
readonly REGISTRY_DATA=/var/lib/factory-registry
readonly REGISTRY_LOG=/var/log/factory-registry.log
readonly DOCKERD_LOG=/var/log/factory-dockerd.log
readonly DOCKER_SOCK=/var/run/docker.sock
readonly PID_DIR=/run/factory
readonly WORK_DIR=/var/cache/factory-bases
readonly DEBIAN_MIRROR=http://deb.debian.org/debian
readonly DEBIAN_SUITE=bookworm
readonly BINFMT_DIR=/proc/sys/fs/binfmt_misc
readonly BINFMT_CONF=/usr/lib/binfmt.d/qemu-aarch64.conf
readonly ARCHES=(amd64 arm64)
readonly APT_PACKAGES=(docker.io docker-registry qemu-user-static binfmt-support busybox-static debootstrap curl)
readonly STARTUP_TIMEOUT=60

# Always the Debian 20.10 CLI: the docker on PATH (/usr/local/bin) has no buildx and fails with BuildKit.
readonly DOCKER=/usr/bin/docker
export DOCKER_BUILDKIT=1
export DOCKER_CLI_EXPERIMENTAL=enabled
export DOCKER_HOST="unix://${DOCKER_SOCK}"
export DEBIAN_FRONTEND=noninteractive

BUSYBOX_AMD64=/bin/busybox
BUSYBOX_ARM64="${WORK_DIR}/downloads/busybox-static-arm64/bin/busybox"
ARM64_OK=no
declare -A BASE_DIGESTS=()
CURRENT_STEP="startup"

# ---------------------------------------------------------------------------------------------- helpers
log()  { printf '[up.sh] %s\n' "$*" >&2; }
step() { CURRENT_STEP="$1"; log "=== step: $1"; }
die()  { printf '[up.sh] ERROR in step "%s": %s\n' "$CURRENT_STEP" "$*" >&2; exit 1; }

on_error() {
    local rc=$? line=$1
    printf '[up.sh] ERROR in step "%s": command failed (exit %s) at line %s: %s\n' \
        "$CURRENT_STEP" "$rc" "$line" "$BASH_COMMAND" >&2
    exit "$rc"
}
trap 'on_error $LINENO' ERR

# wait_until SECONDS COMMAND...: poll once a second until COMMAND succeeds.
wait_until() {
    local timeout=$1; shift
    local i
    for ((i = 0; i < timeout; i++)); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 1
    done
    return 1
}

pid_alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

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
    local p status
    for p in "${APT_PACKAGES[@]}"; do
        status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
        [[ $status == "install ok installed" ]] || echo "$p"
    done
}

install_packages() {
    step "1. Debian packages"
    [[ $EUID -eq 0 ]] || die "must run as root"

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
    if docker_ready; then
        log "dockerd already responding on $DOCKER_SOCK"
        return
    fi
    if pid_alive "$PID_DIR/dockerd.pid"; then
        log "dockerd (pid $(cat "$PID_DIR/dockerd.pid")) is running but not ready yet: waiting"
    else
        start_daemon dockerd "$DOCKERD_LOG" dockerd --bridge=none --host "unix://${DOCKER_SOCK}"
    fi
    log "waiting up to ${STARTUP_TIMEOUT}s for '$DOCKER version'"
    if ! wait_until "$STARTUP_TIMEOUT" docker_ready; then
        tail -n 20 "$DOCKERD_LOG" >&2 || true
        die "dockerd did not respond within ${STARTUP_TIMEOUT}s (see $DOCKERD_LOG)"
    fi
    log "dockerd is up: engine $("$DOCKER" version -f '{{.Server.Version}}')"
}

# ---------------------------------------------------------------------------------------------- 3. registry
registry_ready() { curl -fsS --max-time 5 "$REGISTRY_URL/v2/" >/dev/null 2>&1; }

write_registry_config() {
    mkdir -p "$(dirname "$REGISTRY_CONFIG")" "$REGISTRY_DATA"
    # No blob descriptor cache on purpose: with delete enabled an in-memory cache can claim a deleted
    # blob still exists, so a later push skips the upload and leaves a broken image.
    cat >"$REGISTRY_CONFIG.tmp" <<EOF
# Written by deploy/local/up.sh. Local plain-HTTP registry, loopback only, no auth.
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
    mv "$REGISTRY_CONFIG.tmp" "$REGISTRY_CONFIG"
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

# ---------------------------------------------------------------------------------------------- 6. summary
summary() {
    step "6. summary"
    local ref
    echo "Factory local stack is up"
    echo "  engine:   $("$DOCKER" version -f '{{.Server.Version}}') (unix://${DOCKER_SOCK}, CLI $DOCKER)"
    echo "  registry: $REGISTRY_URL (data $REGISTRY_DATA)"
    echo "  arm64:    $ARM64_OK"
    for ref in $(printf '%s\n' "${!BASE_DIGESTS[@]}" | sort); do
        echo "  base:     $ref@${BASE_DIGESTS[$ref]}"
    done
}

main() {
    local started=$SECONDS
    install_packages
    start_dockerd
    start_registry
    register_qemu
    build_bases
    summary
    log "done in $((SECONDS - started))s"
}

main "$@"
