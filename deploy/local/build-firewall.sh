#!/usr/bin/env bash
# Keep builds that declare the network (`build: {network: true}` in module.yaml) off the host they run on.
#
# Such a build runs its RUN steps in the engine host's network namespace (BuildKit's --network host): it reaches the
# outside, which is what it asked for, and every port on the host as well: the registry (it could push over a passing
# tag), Ceph's monitor and OSDs (which speak no S3 and check no key), RabbitMQ, PostgreSQL, the control plane. The
# services' credentials (deploy/local/up.sh makes them per install) stop the ones that check any; this closes the rest.
#
# The rule: a packet leaving through the loopback device (which carries everything addressed to the host itself,
# 127.0.0.1 and the host's own addresses alike) from a socket made inside BuildKit's cgroup is refused: TCP with a reset,
# the rest with "port unreachable". Only DNS to a loopback nameserver named in /etc/resolv.conf stays open. Builds
# without the network have their own empty namespace and never get here; the engine's own pulls and pushes run in
# dockerd's cgroup, outside BuildKit's, and are not affected.
#
# Usage: build-firewall.sh [install|check|remove]   (default install; idempotent; run as root on every engine host:
# with compose or Kubernetes the executors build on the engine named by DOCKER_HOST, and that host needs the rule)
#
# Environment:
#   FACTORY_BUILD_CGROUP  cgroup (v2 path) of BuildKit's build steps; default docker/buildkit, where dockerd's built-in
#                         BuildKit puts them with the cgroupfs driver (check: a RUN step's /proc/self/cgroup)
#   DOCKER                the docker client (default /usr/bin/docker), asked for the engine's cgroup driver
set -Eeuo pipefail

readonly CHAIN=FACTORY-BUILDS
readonly CGROUP=${FACTORY_BUILD_CGROUP:-docker/buildkit}
readonly DOCKER=${DOCKER:-/usr/bin/docker}

log() { printf '[build-firewall] %s\n' "$*" >&2; }
die() { printf '[build-firewall] ERROR: %s\n' "$*" >&2; exit 1; }

# The jump from OUTPUT, as iptables -C/-I/-D take it.
jump() { echo "OUTPUT -o lo -m cgroup --path $CGROUP -j $CHAIN"; }

# has_rules TOOL: the chain exists with both refusals and OUTPUT jumps to it.
has_rules() {
    local tool=$1
    # shellcheck disable=SC2046
    "$tool" -w -C $(jump) 2>/dev/null &&
        "$tool" -w -C "$CHAIN" -p tcp -j REJECT --reject-with tcp-reset 2>/dev/null &&
        "$tool" -w -S "$CHAIN" 2>/dev/null | grep -q -- "-A $CHAIN -j REJECT"
}

# loopback_nameservers FAMILY: the resolv.conf nameservers on this host's loopback (systemd-resolved's 127.0.0.53, a
# local dnsmasq) of FAMILY (4 or 6). A build with the host's network uses the host's resolv.conf, so these stay open
# on port 53, and only there.
loopback_nameservers() {
    awk -v family="$1" '$1 == "nameserver" && ((family == 4 && $2 ~ /^127\./) || (family == 6 && $2 == "::1")) { print $2 }' \
        /etc/resolv.conf 2>/dev/null || true
}

# ensure_cgroup: the kernel resolves the match's path when the rule is inserted and refuses a path that does not exist
# ("xt_cgroup: invalid path" in its log, "RULE_INSERT failed (Invalid argument)" from iptables). BuildKit makes its
# cgroup at the first RUN step, so on a host that has not built yet it is made here, empty, where BuildKit will put its
# steps. It is never removed: a rule holds the cgroup it was given, and one made again later would not match.
ensure_cgroup() {
    local root
    root=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
    [[ -n $root ]] || die "no cgroup v2 hierarchy is mounted"
    if [[ ! -d $root/$CGROUP ]]; then
        mkdir -p "$root/$CGROUP" || die "cannot make cgroup $root/$CGROUP for the build steps"
        log "made cgroup $root/$CGROUP (no build has run on this host yet)"
    fi
}

# install_rules TOOL: (re)writes the chain, so that a changed resolv.conf is taken up, then makes sure OUTPUT jumps to it.
install_rules() {
    local tool=$1 family=4 ns proto
    [[ $tool == ip6tables ]] && family=6
    "$tool" -w -N "$CHAIN" 2>/dev/null || "$tool" -w -F "$CHAIN"
    for ns in $(loopback_nameservers "$family"); do
        for proto in udp tcp; do "$tool" -w -A "$CHAIN" -d "$ns" -p "$proto" --dport 53 -j RETURN; done
        log "$tool: DNS to $ns stays open to builds (it is in /etc/resolv.conf)"
    done
    "$tool" -w -A "$CHAIN" -p tcp -j REJECT --reject-with tcp-reset
    "$tool" -w -A "$CHAIN" -j REJECT
    # shellcheck disable=SC2046
    "$tool" -w -C $(jump) 2>/dev/null || "$tool" -w -I $(jump)
    has_rules "$tool" || die "$tool: the rules did not take (is the xt_cgroup match available in this kernel?)"
    log "$tool: builds in cgroup $CGROUP can no longer reach the host"
}

remove_rules() {
    local tool=$1
    # shellcheck disable=SC2046
    while "$tool" -w -C $(jump) 2>/dev/null; do "$tool" -w -D $(jump); done
    "$tool" -w -F "$CHAIN" 2>/dev/null || true
    "$tool" -w -X "$CHAIN" 2>/dev/null || true
    log "$tool: removed"
}

# The match reads the socket's cgroup v2 path: without a v2 hierarchy it would never match, silently.
check_prerequisites() {
    [[ $EUID -eq 0 ]] || die "must run as root"
    command -v iptables >/dev/null || die "iptables is not installed (Debian package iptables)"
    grep -qs ' cgroup2 ' /proc/mounts ||
        die "no cgroup v2 hierarchy is mounted: the cgroup match needs one (mount -t cgroup2 none /sys/fs/cgroup/unified)"
    if [[ -z ${FACTORY_BUILD_CGROUP:-} ]]; then
        local driver
        driver=$("$DOCKER" info -f '{{.CgroupDriver}}' 2>/dev/null) || die "cannot ask the engine for its cgroup driver ($DOCKER info)"
        [[ $driver == cgroupfs ]] ||
            die "the engine uses the '$driver' cgroup driver, so its build steps are not under docker/buildkit: set FACTORY_BUILD_CGROUP to the path a RUN step's /proc/self/cgroup shows"
    fi
}

main() {
    local action=${1:-install} tools=(iptables)
    [[ -e /proc/net/if_inet6 ]] && tools+=(ip6tables)
    case "$action" in
        install)
            check_prerequisites
            ensure_cgroup
            for tool in "${tools[@]}"; do install_rules "$tool"; done ;;
        check)
            for tool in "${tools[@]}"; do has_rules "$tool" || die "$tool: builds can reach the host (run $0 install)"; done
            log "in place: ${tools[*]}" ;;
        remove)
            for tool in "${tools[@]}"; do remove_rules "$tool"; done ;;
        *) die "unknown action '$action' (install, check or remove)" ;;
    esac
}

main "$@"
