#!/usr/bin/env bash
# npm run bench: starts (or reuses) the local control plane, builds the render tools (cached) and
# Capstan, runs bench/run.ts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/ensure-deps.sh
# shellcheck source=cluster-lib.sh
source scripts/cluster-lib.sh
trap cluster_down_if_started EXIT
cluster_up_if_needed
# kustomize, helm, jsonnet and the test OCI registry, built from pinned Go modules (cached).
CAPSTAN_TOOLS_DIR="$(bash tools/build.sh)"
export CAPSTAN_TOOLS_DIR
npm run --silent build
node --import tsx bench/run.ts
