#!/usr/bin/env bash
# Builds Factory's images on this machine and pushes them to the local registry; nothing is pulled from outside.
# Run after deploy/local/up.sh (which makes the registry and the Debian base 127.0.0.1:5000/base/debian:bookworm).
#
#   runtime-deps  Debian base + what a self-contained .NET service needs (OpenSSL, ICU, CA certificates), amd64 + arm64
#   control-plane, results-consumer, executor
#                 a self-contained `dotnet publish` copied onto runtime-deps, run as the non-root user factory (10001);
#                 the executor for amd64 and arm64 (one multi-arch tag) with the Debian docker CLI (BuildKit built in)
#   rabbitmq, postgresql, ceph-rgw
#                 from Debian packages (apt inside the build, --network host), every port from the environment
#
# Each image is pushed as $FACTORY_IMAGE_PREFIX/<image>:<tag> and :latest (tag: the commit, with -dirty when the
# work tree has changes). A second run reuses the publish outputs (unless a source changed) and BuildKit's layer
# cache (also from the registry, inline cache), so it only tags and pushes.
#
# Settings (environment):
#   FACTORY_IMAGES          images to build (default: all of the above; runtime-deps is built when a service needs it)
#   FACTORY_EXECUTOR_ARCHES executor architectures (default "amd64 arm64")
#   FACTORY_IMAGE_TAG       the tag (default: the commit)
#   FACTORY_IMAGE_PREFIX    default 127.0.0.1:5000/factory
#   FACTORY_IMAGE_LATEST    "no": do not move the :latest tags (tests build their own tag without touching them)
# Prints IMAGE=<ref> lines on stdout, one per image pushed; everything else goes to stderr.
set -Eeuo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$repo/deploy/images"
registry=127.0.0.1:5000
prefix="${FACTORY_IMAGE_PREFIX:-$registry/factory}"
base="$registry/base/debian:bookworm"
images="${FACTORY_IMAGES:-control-plane results-consumer executor rabbitmq postgresql ceph-rgw}"
executor_arches="${FACTORY_EXECUTOR_ARCHES:-amd64 arm64}"
latest="${FACTORY_IMAGE_LATEST:-yes}"
work="$repo/.build/images"
docker=/usr/bin/docker   # the Debian 20.10 CLI: BuildKit without buildx (the one on PATH has no builder)
# The host's build gate, as the executors take it (Executor:BuildGate, EngineBuildGate): the 20.10 engine dies when two
# builds export inline cache at once, so each build here waits for the others on this host to end.
gate="${FACTORY_BUILD_GATE_DIRECTORY:-/run/lock}/factory-buildkit.lock"
export DOCKER_BUILDKIT=1 DOCKER_CLI_EXPERIMENTAL=enabled

log() { echo "images: $*" >&2; }
die() { echo "images: error: $*" >&2; exit 1; }
trap 'die "command failed (exit $?) at line $LINENO: $BASH_COMMAND"' ERR

tag="${FACTORY_IMAGE_TAG:-}"
if [ -z "$tag" ]; then
  tag="$(git -C "$repo" rev-parse --short=12 HEAD)"
  [ -z "$(git -C "$repo" status --porcelain --untracked-files=no)" ] || tag="$tag-dirty"
fi

wanted() { [[ " $images " == *" $1 "* ]]; }
rid_of() { case "$1" in amd64) echo linux-x64 ;; arm64) echo linux-arm64 ;; *) die "unknown architecture $1 (expected amd64 or arm64)" ;; esac; }

# build NAME REF PLATFORM CONTEXT DOCKERFILE [--build-arg ...]: build with the layer cache (local, and the last
# pushed :latest of the same name through the inline cache), then push REF.
build() {
  local name="$1" ref="$2" platform="$3" context="$4" dockerfile="$5" started=$SECONDS; shift 5
  log "building $ref ($platform)"
  flock "$gate" "$docker" build --progress plain --network host --platform "$platform" --file "$dockerfile" \
    --build-arg BUILDKIT_INLINE_CACHE=1 --build-arg "BASE=$base" --cache-from "$prefix/$name:latest-${platform#linux/}" \
    --tag "$ref" "$@" "$context" >"$work/logs/$name-${platform#linux/}.log" 2>&1 ||
    { tail -n 30 "$work/logs/$name-${platform#linux/}.log" >&2; die "the build of $ref failed (log: $work/logs/$name-${platform#linux/}.log)"; }
  "$docker" push "$ref" >/dev/null || die "push of $ref failed"
  log "built $ref in $((SECONDS - started))s ($(grep -c ' CACHED$' "$work/logs/$name-${platform#linux/}.log" || true) steps cached)"
}

# retag FROM TO: tag and push another name for the same image.
retag() { "$docker" tag "$1" "$2" && "$docker" push "$2" >/dev/null || die "push of $2 failed"; }

# latest FROM TO: retag, unless FACTORY_IMAGE_LATEST=no.
latest() { [ "$latest" = no ] || retag "$1" "$2"; }

host_arch() { case "$(uname -m)" in x86_64) echo amd64 ;; aarch64 | arm64) echo arm64 ;; *) uname -m ;; esac; }

# multiarch REF ARCH...: a manifest list REF over REF-<arch> (each already pushed).
multiarch() {
  local ref="$1" parts=() arch; shift
  for arch in "$@"; do parts+=("$ref-$arch"); done
  "$docker" manifest rm "$ref" >/dev/null 2>&1 || true
  "$docker" manifest create --insecure "$ref" "${parts[@]}" >/dev/null || die "docker manifest create $ref failed"
  "$docker" manifest push --purge --insecure "$ref" >/dev/null || die "docker manifest push $ref failed"
}

# publish SERVICE PROJECT RID: a self-contained, ReadyToRun publish into $work/SERVICE-RID/app, again only when a
# source changed since the last one.
publish() {
  local service="$1" project="$2" rid="$3" out="$work/$1-$3/app" stamp="$work/$1-$3/.published"
  if [ -f "$stamp" ] && [ -z "$(find "$repo/Contracts" "$repo/ControlPlane" "$repo/Executor" "$repo/ResultsConsumer" \
      "$repo/Directory.Build.props" "$repo/Directory.Packages.props" \
      \( -name '*.cs' -o -name '*.csproj' -o -name '*.json' -o -name '*.props' \) -newer "$stamp" \
      -not -path '*/obj/*' -not -path '*/bin/*' -print -quit)" ]; then
    log "publish of $service for $rid is up to date"
    return
  fi
  local started=$SECONDS
  log "publishing $service for $rid (self-contained)"
  # The stamp goes first: an interrupted publish leaves no stamp over a half-written app/.
  rm -f "$stamp" && rm -rf "$out" && mkdir -p "$out"
  dotnet publish "$repo/$project" -c Release -r "$rid" --self-contained true -p:PublishReadyToRun=true \
    -o "$out" -nologo -v quiet >"$work/logs/publish-$service-$rid.log" 2>&1 ||
    { tail -n 30 "$work/logs/publish-$service-$rid.log" >&2; die "dotnet publish of $project for $rid failed"; }
  touch "$stamp"
  log "published $service for $rid in $((SECONDS - started))s"
}

# context SERVICE RID: the build context: app/ (the publish), manifests/ (the shipped store) and the entry scripts.
context() {
  local dir="$work/$1-$2"
  rm -rf "$dir/manifests" && cp -a "$repo/manifests" "$dir/manifests"
  cp "$here"/*-entrypoint.sh "$dir/"
  echo "$dir"
}

check_prerequisites() {
  [ -x "$docker" ] || die "$docker (Debian's docker.io) is missing: run deploy/local/up.sh"
  "$docker" version >/dev/null 2>&1 || die "the Docker engine does not answer: run deploy/local/up.sh"
  "$docker" manifest inspect --insecure "$base" >/dev/null 2>&1 ||
    die "$base is not in the registry: run deploy/local/up.sh (it builds the Debian base)"
  local arch
  for arch in $executor_arches; do
    [ "$arch" = amd64 ] || [ "$(head -n 1 /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null)" = enabled ] ||
      die "QEMU is not registered for aarch64, needed to build the $arch executor: run deploy/local/up.sh"
  done
}

main() {
  local started=$SECONDS arch name
  check_prerequisites
  mkdir -p "$work/logs"
  log "tag $tag, prefix $prefix, images: $images"

  local need_deps=()
  if wanted control-plane || wanted results-consumer; then need_deps+=(amd64); fi
  if wanted executor; then for arch in $executor_arches; do [[ " ${need_deps[*]} " == *" $arch "* ]] || need_deps+=("$arch"); done; fi
  for arch in "${need_deps[@]}"; do
    mkdir -p "$work/runtime-deps"
    build runtime-deps "$prefix/runtime-deps:bookworm-$arch" "linux/$arch" "$work/runtime-deps" "$here/runtime-deps.Dockerfile"
    latest "$prefix/runtime-deps:bookworm-$arch" "$prefix/runtime-deps:latest-$arch"
  done

  for name in control-plane results-consumer; do
    wanted "$name" || continue
    local project entry
    case "$name" in
      control-plane) project=ControlPlane/Factory.ControlPlane.Api/Factory.ControlPlane.Api.csproj entry=Factory.ControlPlane.Api ;;
      results-consumer) project=ResultsConsumer/Factory.ResultsConsumer.Host/Factory.ResultsConsumer.Host.csproj entry=Factory.ResultsConsumer.Host ;;
    esac
    publish "$name" "$project" linux-x64
    build "$name" "$prefix/$name:$tag" linux/amd64 "$(context "$name" linux-x64)" "$here/service.Dockerfile" \
      --build-arg "RUNTIME_DEPS=$prefix/runtime-deps:bookworm-amd64" --build-arg "SERVICE=$name" --build-arg "ENTRY=$entry"
    latest "$prefix/$name:$tag" "$prefix/$name:latest"
    latest "$prefix/$name:$tag" "$prefix/$name:latest-amd64"
    echo "IMAGE=$prefix/$name:$tag"
  done

  if wanted executor; then
    for arch in $executor_arches; do
      publish executor Executor/Factory.Executor.Host/Factory.Executor.Host.csproj "$(rid_of "$arch")"
      build executor "$prefix/executor:$tag-$arch" "linux/$arch" "$(context executor "$(rid_of "$arch")")" "$here/executor.Dockerfile" \
        --build-arg "RUNTIME_DEPS=$prefix/runtime-deps:bookworm-$arch"
      latest "$prefix/executor:$tag-$arch" "$prefix/executor:latest-$arch"
    done
    # The registry gets a multi-arch list; the engine here gets the same name for its own architecture's image, so
    # that compose runs this build (it does not pull a name it already has).
    local here_arch; here_arch="$(host_arch)"
    # shellcheck disable=SC2086
    multiarch "$prefix/executor:$tag" $executor_arches
    [[ " $executor_arches " != *" $here_arch "* ]] || "$docker" tag "$prefix/executor:$tag-$here_arch" "$prefix/executor:$tag"
    if [ "$latest" != no ]; then
      # shellcheck disable=SC2086
      multiarch "$prefix/executor:latest" $executor_arches
      [[ " $executor_arches " != *" $here_arch "* ]] || "$docker" tag "$prefix/executor:$tag-$here_arch" "$prefix/executor:latest"
    fi
    echo "IMAGE=$prefix/executor:$tag"
  fi

  for name in rabbitmq postgresql ceph-rgw; do
    wanted "$name" || continue
    mkdir -p "$work/$name" && cp "$here/$name-entrypoint.sh" "$work/$name/"
    build "$name" "$prefix/$name:$tag" linux/amd64 "$work/$name" "$here/$name.Dockerfile"
    latest "$prefix/$name:$tag" "$prefix/$name:latest"
    latest "$prefix/$name:$tag" "$prefix/$name:latest-amd64"
    echo "IMAGE=$prefix/$name:$tag"
  done
  log "done in $((SECONDS - started))s"
}

main "$@"
