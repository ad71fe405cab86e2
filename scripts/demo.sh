#!/usr/bin/env bash
# npm run demo: a local control plane, a sample Git repository, and the Capstan controller
# keeping the sample Applications in sync with it, and the web dashboard. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/ensure-deps.sh

# shellcheck source=cluster-lib.sh
source scripts/cluster-lib.sh

controller_pid=""
dashboard_pid=""
stop() {
  if [ -n "$controller_pid" ]; then kill -TERM "$controller_pid" 2>/dev/null || true; wait "$controller_pid" 2>/dev/null || true; fi
  if [ -n "$dashboard_pid" ]; then kill -TERM "$dashboard_pid" 2>/dev/null || true; wait "$dashboard_pid" 2>/dev/null || true; fi
  cluster_down_if_started
}
trap stop EXIT
trap 'exit 0' INT TERM

cluster_up_if_needed
# kustomize, helm, jsonnet and the test OCI registry, built from pinned Go modules (cached).
CAPSTAN_TOOLS_DIR="$(bash tools/build.sh)"
export CAPSTAN_TOOLS_DIR
npm run --silent build
kubeconfig="$PWD/.capstan/cluster/kubeconfig"
k() { kubectl --kubeconfig "$kubeconfig" "$@"; }

# A sample Git repository, made fresh for each demo.
repo="$PWD/.capstan/demo/repo"
rm -rf "$repo" && mkdir -p "$repo" && cp -R demo/repo/. "$repo/"
git -C "$repo" init -q -b main
git -C "$repo" add -A
git -C "$repo" -c user.name=Capstan -c user.email=demo@capstan.dev commit -q -m "sample applications"

k apply --server-side -f crds/application.yaml -f crds/appproject.yaml >/dev/null
# kubectl wait gives up on a CRD whose status has no conditions yet: poll the condition itself.
for crd in applications.capstan.dev appprojects.capstan.dev; do
  for _ in $(seq 1 120); do
    [ "$(k get crd "$crd" -o jsonpath='{.status.conditions[?(@.type=="Established")].status}' 2>/dev/null)" = True ] && break
    sleep 0.5
  done
done
k create namespace capstan --dry-run=client -o yaml | k apply -f - >/dev/null
sed "s|REPO_URL|file://$repo|" demo/applications.yaml | k apply -f - >/dev/null

# The web dashboard, with the demo's kubeconfig; it prints a one-time sign-in URL.
dashboard_out="$PWD/.capstan/demo/dashboard.out"
mkdir -p "$(dirname "$dashboard_out")"
node dist/cli/main.js dashboard --kubeconfig "$kubeconfig" --namespace capstan --allow-local-repos \
  --cache-dir "$PWD/.capstan/demo/dashboard-cache" --log-level warn >"$dashboard_out" &
dashboard_pid=$!
for _ in $(seq 1 100); do grep -q 'http://' "$dashboard_out" 2>/dev/null && break; sleep 0.1; done
dashboard_url="$(grep -o 'http://[^ ]*' "$dashboard_out" | head -1 || true)"

cat <<MSG

Dashboard: ${dashboard_url:-not started (see $dashboard_out)}

Capstan is syncing three sample Applications (two directories, one Helm chart) from the Git repository $repo.
In another terminal:
  export KUBECONFIG=$kubeconfig
  kubectl get capp -n capstan                    # SYNC, HEALTH, REVISION of each app
  kubectl describe capp guestbook -n capstan     # conditions, resources, history, events
  kubectl get deploy,svc -n guestbook
  kubectl get capp greeter -n capstan -o jsonpath='{.status.sourceType}'   # Helm
  kubectl scale deploy/guestbook-ui -n guestbook --replicas=5    # drift: reverted (selfHeal)
  kubectl scale deploy/podinfo -n podinfo --replicas=1           # drift: reported OutOfSync
  kubectl annotate capp podinfo -n capstan capstan.dev/sync=now  # sync it by hand
  # change Git and watch it arrive within the 15s poll interval:
  sed -i 's/replicas: 2/replicas: 4/' $repo/guestbook/deployment.yaml && git -C $repo commit -qam scale

Controller logs follow (JSON). Press Ctrl-C to stop the controller and the control plane.

MSG
node dist/cli/main.js controller --kubeconfig "$kubeconfig" --namespace capstan --interval 15s \
  --cache-dir "$PWD/.capstan/demo/cache" --metrics-addr 127.0.0.1:0 --allow-local-repos &
controller_pid=$!
wait "$controller_pid"
