# Shared by test.sh, demo.sh and bench.sh (source it): the local control plane, started only
# when none runs, and stopped again only by the script that started it.
cluster() { node --import tsx test/cluster/cli.ts "$@"; }

cluster_started_here=0
cluster_up_if_needed() {
  if ! cluster status >/dev/null 2>&1; then cluster_started_here=1; fi
  cluster up
}

# Stops the control plane if this script started it; fails if a process was left behind.
cluster_down_if_started() {
  [ "$cluster_started_here" = 1 ] || return 0
  cluster down || return 1
  if ! cluster leftovers; then
    echo "capstan: control-plane processes were left behind" >&2
    return 1
  fi
}
