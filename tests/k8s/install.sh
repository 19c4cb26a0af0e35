#!/usr/bin/env bash
# Installs the Kubernetes and KEDA schemas (npm kubernetes-models, @kubernetes-models/keda: typed models with JSON-schema
# validation) and a YAML parser under .build/npm-k8s, for the offline validation of deploy/k8s (tests/k8s/validate.mjs).
# Idempotent and safe to run concurrently: does nothing when the pinned set is already installed.
# Usage: tests/k8s/install.sh [PREFIX]   (default PREFIX: <repo>/.build/npm-k8s; validate.mjs reads FACTORY_K8S_NPM_PREFIX)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
prefix="${1:-${FACTORY_K8S_NPM_PREFIX:-$repo/.build/npm-k8s}}"
packages=(kubernetes-models@5.1.0 @kubernetes-models/keda@2.0.0 yaml@2.9.1)
want="${packages[*]}"
stamp="$prefix/.installed"

installed() {
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
    && [ -d "$prefix/node_modules/kubernetes-models" ] && [ -d "$prefix/node_modules/@kubernetes-models/keda" ]
}

installed && exit 0
command -v npm >/dev/null || { echo "tests/k8s/install.sh: npm is missing (apt-get install -y nodejs npm)" >&2; exit 2; }
mkdir -p "$prefix"
exec 9>"$prefix/.lock"
flock 9
installed && exit 0
# A package.json of its own keeps npm from walking up into another project.
[ -f "$prefix/package.json" ] || echo '{"name":"factory-k8s-schemas","private":true}' >"$prefix/package.json"
npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$prefix" "${packages[@]}" >&2
echo "$want" >"$stamp"
