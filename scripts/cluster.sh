#!/usr/bin/env bash
# npm run cluster:up|down|status — the local Kubernetes control plane used by tests and the demo.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/ensure-deps.sh
exec node --import tsx test/cluster/cli.ts "$@"
