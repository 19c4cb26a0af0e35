#!/usr/bin/env bash
# Installs the official CycloneDX JSON schemas and their validator (npm) under .build/npm, for the SBOM tests:
# @cyclonedx/cyclonedx-library ships res/schema/bom-1.6.SNAPSHOT.schema.json (+ spdx, jsf, cryptography-defs),
# and tests/schemas/validate.mjs validates with it through ajv.
# Idempotent and safe to run concurrently: does nothing when the pinned set is already installed.
# Usage: tests/schemas/install.sh [PREFIX]   (default PREFIX: <repo>/.build/npm; validate.mjs reads FACTORY_NPM_PREFIX)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
prefix="${1:-${FACTORY_NPM_PREFIX:-$repo/.build/npm}}"
# Exact versions (the ranges ajv@8 ajv-formats@3 ajv-formats-draft2019@1 resolved to these on 2026-11-23).
packages=(@cyclonedx/cyclonedx-library@10.3.0 ajv@8.20.0 ajv-formats@3.0.1 ajv-formats-draft2019@1.6.1)
want="${packages[*]}"
stamp="$prefix/.installed"

installed() {
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
    && [ -f "$prefix/node_modules/@cyclonedx/cyclonedx-library/res/schema/bom-1.6.SNAPSHOT.schema.json" ]
}

installed && exit 0
command -v npm >/dev/null || { echo "tests/schemas/install.sh: npm is missing (apt-get install -y nodejs npm)" >&2; exit 2; }
mkdir -p "$prefix"
exec 9>"$prefix/.lock"
flock 9
installed && exit 0
# A package.json of its own keeps npm from walking up into another project.
[ -f "$prefix/package.json" ] || echo '{"name":"factory-schema-tools","private":true}' >"$prefix/package.json"
npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$prefix" "${packages[@]}" >&2
echo "$want" >"$stamp"
