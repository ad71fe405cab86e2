#!/usr/bin/env bash
# npm run bench: starts (or reuses) the local control plane, builds Capstan, runs bench/run.ts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/ensure-deps.sh
cluster() { node --import tsx test/cluster/cli.ts "$@"; }
started=0
if ! cluster status >/dev/null 2>&1; then started=1; fi
trap '[ "$started" = 1 ] && cluster down' EXIT
cluster up
npm run --silent build
node --import tsx bench/run.ts
