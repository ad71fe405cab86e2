#!/usr/bin/env bash
# Assembles a runnable Capstan into OUT: compiled JavaScript, the dashboard's browser app,
# production dependencies only, the CRDs. The Dockerfile runs exactly this; tests run it too, to
# prove the image's contents work.
set -euo pipefail
out="${1:?usage: scripts/package.sh OUT_DIR}"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p "$out"
npx --no-install tsc -p tsconfig.build.json --outDir "$out/dist"
# The dashboard's browser app (Vite, src/dashboard/ui), served from dist/dashboard-ui: built
# here unless dist/dashboard-ui holds a build already (the Dockerfile builds it just before;
# `npm run build` rebuilds it in a checkout).
if [ ! -f dist/dashboard-ui/index.html ]; then npm run --silent build:dashboard; fi
rm -rf "$out/dist/dashboard-ui"
cp -R dist/dashboard-ui "$out/dist/"
cp package.json package-lock.json "$out/"
cp -R crds "$out/"
# npm ci: exactly what package-lock.json lists, or an error when it does not match package.json.
(cd "$out" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
