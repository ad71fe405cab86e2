#!/usr/bin/env bash
# Builds the local test control plane (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kwok) from the pinned Go modules under test/cluster/go into a cache
# directory named by version. Prints that directory's bin path. A warm cache returns at once.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

fail() { echo "capstan cluster: $*" >&2; exit 1; }

command -v go >/dev/null 2>&1 || fail "Go is not installed; the test control plane is built from Go modules. Install Go ${GO_MIN_VERSION}+ (https://go.dev/dl) and make sure 'go' is on PATH."
go_ver="$(go env GOVERSION | sed 's/^go//')"
if [ "$(printf '%s\n%s\n' "$GO_MIN_VERSION" "$go_ver" | sort -V | head -n1)" != "$GO_MIN_VERSION" ]; then
  fail "Go ${go_ver} is too old; the test control plane needs Go ${GO_MIN_VERSION} or newer."
fi

cache_root="${CAPSTAN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/capstan}"
dest="$cache_root/cluster-$CLUSTER_CACHE_KEY"
bin="$dest/bin"
binaries=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

complete() { for b in "${binaries[@]}"; do [ -x "$bin/$b" ] || return 1; done; [ -f "$dest/.complete" ]; }

if complete; then echo "$bin"; exit 0; fi

mkdir -p "$cache_root"
exec 9>"$cache_root/.build-$CLUSTER_CACHE_KEY.lock"
flock 9
if complete; then echo "$bin"; exit 0; fi

echo "capstan cluster: building the control plane into $dest (first run only; this takes a while)" >&2
start=$(date +%s)
work="$dest.partial"
mkdir -p "$work/bin"

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
build_date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
minor="$(echo "$K8S_VERSION" | cut -d. -f2)"
vpkg=k8s.io/component-base/version
k8s_ldflags="-s -w -X $vpkg.gitVersion=$K8S_VERSION -X $vpkg.gitMajor=1 -X $vpkg.gitMinor=$minor -X $vpkg.gitTreeState=clean -X $vpkg.buildDate=$build_date -X $vpkg.gitCommit=capstan-testcluster"

build() { # dir out pkg ldflags
  local dir="$1" out="$2" pkg="$3" flags="$4"
  [ -x "$work/bin/$out" ] && return 0
  echo "capstan cluster: go build $pkg" >&2
  (cd "$here/go/$dir" && go build -trimpath -ldflags "$flags" -o "$work/bin/$out" "$pkg")
}

build etcd etcd . "-s -w"
build kwok kwok sigs.k8s.io/kwok/cmd/kwok "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION"
build kubernetes kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver "$k8s_ldflags"
build kubernetes kube-controller-manager k8s.io/kubernetes/cmd/kube-controller-manager "$k8s_ldflags"
build kubernetes kube-scheduler k8s.io/kubernetes/cmd/kube-scheduler "$k8s_ldflags"

rm -rf "$dest"
touch "$work/.complete"
mv "$work" "$dest"
echo "capstan cluster: built in $(( $(date +%s) - start ))s" >&2
echo "$bin"
