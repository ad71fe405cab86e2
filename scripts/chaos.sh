#!/usr/bin/env bash
# npm run chaos [-- --scenario NAME --trials N]: starts (or reuses) the local control plane, runs the
# fault campaign (test/chaos/main.ts) and stops the control plane again if it started it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/ensure-deps.sh
# shellcheck source=cluster-lib.sh
source scripts/cluster-lib.sh
trap cluster_down_if_started EXIT
cluster_up_if_needed
node --import tsx test/chaos/main.ts "$@"
