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
npx --no-install tsc --noEmit -p src/dashboard/ui
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

echo "== dashboard front end"
# The bundle-size test reads dist/dashboard-ui.
npm run --silent build:dashboard

echo "== tests"
mkdir -p .capstan
rm -f .capstan/jest-*.json
jest() { node --experimental-vm-modules node_modules/jest/bin/jest.js "$@"; }
if [ "$#" -gt 0 ]; then
  # Arguments (a file, a pattern, a project) run as asked, one file at a time.
  jest --runInBand --json --outputFile=.capstan/jest-results.json "$@" || rc=$?
else
  # Unit tests and most integration files two at a time (each integration file works in
  # namespaces of its own); the files of serial-files.txt then one at a time.
  mapfile -t serial < <(grep -v '^#' test/integration/serial-files.txt | sed '/^$/d')
  jest --maxWorkers=2 --testPathIgnorePatterns "${serial[@]}" --json --outputFile=.capstan/jest-results.json || rc=$?
  jest --runInBand --selectProjects integration --runTestsByPath "${serial[@]}" --json --outputFile=.capstan/jest-serial.json || rc=$?
fi
node -e '
const fs = require("fs");
const runs = [".capstan/jest-results.json", ".capstan/jest-serial.json"].filter((f) => fs.existsSync(f)).map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
const sum = (k) => runs.reduce((n, r) => n + r[k], 0);
console.log(`${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed` + (sum("numPendingTests") ? `, ${sum("numPendingTests")} skipped` : ""));
' || true
exit "${rc:-0}"
