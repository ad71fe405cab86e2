#!/usr/bin/env bash
# Builds the render tools (kustomize, helm, jsonnet with jsonnet-deps) and the OCI registry that only tests use
# from the pinned Go modules under tools/go into a cache directory named by version. Prints
# that directory's bin path. A warm cache returns at once.
#
#   tools/build.sh                             all four
#   tools/build.sh --only kustomize,helm,jsonnet   just those (the controller image needs no registry)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

fail() { echo "capstan tools: $*" >&2; exit 1; }

all=(kustomize helm jsonnet registry)
binaries=("${all[@]}")
while [ $# -gt 0 ]; do
  case "$1" in
    --only) [ $# -ge 2 ] || fail "--only needs a comma-separated list of: ${all[*]}"; IFS=, read -r -a binaries <<<"$2"; shift 2 ;;
    --only=*) IFS=, read -r -a binaries <<<"${1#--only=}"; shift ;;
    *) fail "unknown argument '$1' (usage: tools/build.sh [--only kustomize,helm,jsonnet,registry])" ;;
  esac
done
[ "${#binaries[@]}" -gt 0 ] || fail "--only names no tool; choose from: ${all[*]}"
for b in "${binaries[@]}"; do
  case " ${all[*]} " in *" $b "*) ;; *) fail "unknown tool '$b'; choose from: ${all[*]}" ;; esac
done

command -v go >/dev/null 2>&1 || fail "Go is not installed; the render tools are built from Go modules. Install Go ${GO_MIN_VERSION}+ (https://go.dev/dl) and make sure 'go' is on PATH."
go_ver="$(go env GOVERSION | sed 's/^go//')"
if [ "$(printf '%s\n%s\n' "$GO_MIN_VERSION" "$go_ver" | sort -V | head -n1)" != "$GO_MIN_VERSION" ]; then
  fail "Go ${go_ver} is too old; the render tools need Go ${GO_MIN_VERSION} or newer."
fi

cache_root="${CAPSTAN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/capstan}"
dest="$cache_root/tools-$TOOLS_CACHE_KEY"
bin="$dest/bin"

# The binaries each tool puts in bin: jsonnet-deps (which lists what a Jsonnet file imports) comes
# from the jsonnet module, at its version.
outputs() { # tool
  case "$1" in
    jsonnet) echo "jsonnet jsonnet-deps" ;;
    *) echo "$1" ;;
  esac
}
built() { # tool
  local o
  for o in $(outputs "$1"); do [ -x "$bin/$o" ] || return 1; done
}

# dest only ever appears whole (renamed from dest.partial with its .complete marker); an earlier
# --only build may have left out some tools (or a binary a tool has gained since, like
# jsonnet-deps), which are then built and renamed into dest/bin.
complete() { [ -f "$dest/.complete" ] || return 1; for b in "${binaries[@]}"; do built "$b" || return 1; done; }

if complete; then echo "$bin"; exit 0; fi

mkdir -p "$cache_root"
exec 9>"$cache_root/.build-tools-$TOOLS_CACHE_KEY.lock"
flock 9
if complete; then echo "$bin"; exit 0; fi

if [ -e "$dest" ] && [ ! -f "$dest/.complete" ]; then rm -rf "$dest"; fi
missing=()
for b in "${binaries[@]}"; do built "$b" || missing+=("$b"); done
echo "capstan tools: building ${missing[*]} into $dest (first run only; this takes a while)" >&2
start=$(date +%s)
work="$dest.partial"
mkdir -p "$work/bin"

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
build_date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

ldflags() { # tool
  case "$1" in
    kustomize) echo "-s -w -X sigs.k8s.io/kustomize/api/provenance.version=$KUSTOMIZE_VERSION -X sigs.k8s.io/kustomize/api/provenance.buildDate=$build_date" ;;
    helm) echo "-s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION -X helm.sh/helm/v4/internal/version.gitTreeState=clean" ;;
    # jsonnet's version is a constant of the module; the registry has none.
    *) echo "-s -w" ;;
  esac
}

pkg() { # tool
  case "$1" in
    kustomize) echo sigs.k8s.io/kustomize/kustomize/v5 ;;
    helm) echo helm.sh/helm/v4/cmd/helm ;;
    jsonnet) echo github.com/google/go-jsonnet/cmd/jsonnet ;;
    jsonnet-deps) echo github.com/google/go-jsonnet/cmd/jsonnet-deps ;;
    registry) echo github.com/google/go-containerregistry/cmd/registry ;;
  esac
}

for b in "${missing[@]}"; do
  for o in $(outputs "$b"); do
    if [ -x "$bin/$o" ] || [ -x "$work/bin/$o" ]; then continue; fi
    echo "capstan tools: go build $(pkg "$o")" >&2
    (cd "$here/go/$b" && go build -trimpath -ldflags "$(ldflags "$o")" -o "$work/bin/$o.tmp" "$(pkg "$o")")
    mv "$work/bin/$o.tmp" "$work/bin/$o"
  done
done

if [ -d "$dest" ]; then
  for b in "${missing[@]}"; do
    for o in $(outputs "$b"); do if [ -e "$work/bin/$o" ]; then mv "$work/bin/$o" "$bin/$o"; fi; done
  done
  rm -rf "$work"
else
  touch "$work/.complete"
  mv "$work" "$dest"
fi
echo "capstan tools: built in $(( $(date +%s) - start ))s" >&2
echo "$bin"
