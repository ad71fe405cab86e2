#!/usr/bin/env bash
# npm run demo: starts the local Kubernetes control plane and keeps it up until Ctrl-C.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/ensure-deps.sh

cluster() { node --import tsx test/cluster/cli.ts "$@"; }

started=0
if ! cluster status >/dev/null 2>&1; then started=1; fi
stop() {
  if [ "$started" = 1 ]; then cluster down; fi
}
trap stop EXIT
trap 'exit 0' INT TERM

cluster up
kubeconfig=.capstan/cluster/kubeconfig
cat <<MSG

The local control plane is running (3 fake nodes simulated by KWOK).
Try, in another terminal:
  kubectl --kubeconfig $kubeconfig get nodes
  kubectl --kubeconfig $kubeconfig create deployment web --image=nginx --replicas=2
  kubectl --kubeconfig $kubeconfig get pods -o wide

Press Ctrl-C to stop it.
MSG
while true; do sleep 3600 & wait $!; done
