#!/usr/bin/env bash
# npm test: installs what is missing, type-checks and lints, starts the local control plane
# (building it on first use), builds the render tools (kustomize, helm, jsonnet, registry) on
# first use, runs the unit and integration tests, and stops the control plane again, even when
# tests fail. A control plane that was already running is reused and left running.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/ensure-deps.sh

# shellcheck source=cluster-lib.sh
source scripts/cluster-lib.sh

echo "== type check and lint"
npx --no-install tsc --noEmit -p .
npx --no-install eslint --max-warnings=0 .

finish() {
  rc=$?
  cluster_down_if_started || rc=1
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT TERM

echo "== control plane"
cluster_up_if_needed

echo "== render tools"
# kustomize, helm, jsonnet and the test OCI registry, built from pinned Go modules (cached).
CAPSTAN_TOOLS_DIR="$(bash tools/build.sh)"
export CAPSTAN_TOOLS_DIR

echo "== tests"
mkdir -p .capstan
node --experimental-vm-modules node_modules/jest/bin/jest.js --runInBand \
  --json --outputFile=.capstan/jest-results.json "$@" || rc=$?
node -e '
const r = JSON.parse(require("fs").readFileSync(".capstan/jest-results.json", "utf8"));
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' || true
exit "${rc:-0}"
