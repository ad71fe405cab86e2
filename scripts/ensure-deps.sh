#!/usr/bin/env bash
# Installs the npm dependencies when they are missing or older than package-lock.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

command -v node >/dev/null 2>&1 || { echo "capstan: Node.js is not installed; install Node.js 20.18 or newer (https://nodejs.org)." >&2; exit 1; }
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=18)?0:1)' \
  || { echo "capstan: Node.js $(node --version) is too old; Capstan needs 20.18 or newer." >&2; exit 1; }
command -v git >/dev/null 2>&1 || { echo "capstan: git is not installed; install it (apt-get install -y git)." >&2; exit 1; }

stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "capstan: installing npm dependencies" >&2
  # npm install (not npm ci): it follows package-lock.json, and unlike npm ci it accepts a lock file
  # that lists only this platform's optional binaries (as npm 11 writes it).
  npm install --no-audit --no-fund --loglevel=error >&2
fi
