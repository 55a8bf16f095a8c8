# shellcheck shell=bash
# Sourced by scripts/test and scripts/demo: builds the Go tools pinned in tools/versions.env from their
# modules (this machine reaches the Go module proxy, not GitHub releases), caches each binary by version,
# and lays kube-apiserver/etcd/kubectl out the way fabric8 kube-api-test's offline mode expects.
# Idempotent: a second run finds every binary and builds nothing.
#
# After ensure_tools:
#   NAO_TOOLS_BIN     directory with nats-server, nats, nsc, jwtcheck, kube-apiserver, etcd, kubectl,
#                     argocd-health, kstatus, promtool
#   KUBE_API_TEST_DIR directory holding k8s/<version>-linux-amd64/{kube-apiserver,etcd,kubectl}
#   KUBE_API_TEST_API_SERVER_VERSION the kube-apiserver version laid out there (e.g. 1.37.2)

nao_tools_root() {
  local here
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  echo "$here"
}

# Runs one build step; on failure prints the log's tail and one line naming the tool and the command.
nao_build_step() {
  local tool="$1" log="$2"; shift 2
  if ! "$@" >>"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "ensure-tools: building $tool failed: '$*' (full log: $log)" >&2
    return 1
  fi
}

# go install MODULE/PKG@VERSION (with build TAGS, optional) into the cache under NAME-VERSION, unless it is already there.
nao_go_install() {
  local name="$1" pkg="$2" version="$3" tags="${4:-}"
  local target="$NAO_TOOLS_CACHE/$name-$version"
  if [ -x "$target/$name" ]; then return 0; fi
  echo "ensure-tools: building $name $version from $pkg (first run only)..." >&2
  local log="$NAO_TOOLS_CACHE/logs/$name-$version.log"
  : >"$log"
  rm -rf "$target.tmp" && mkdir -p "$target.tmp"
  nao_build_step "$name" "$log" env GOBIN="$target.tmp" go install -tags "$tags" -trimpath -ldflags "-s -w" "$pkg@$version" \
    || return 1
  [ -x "$target.tmp/$name" ] || { echo "ensure-tools: building $name: go install produced no $name binary" >&2; return 1; }
  rm -rf "$target" && mv "$target.tmp" "$target"
}

# Builds a small module committed under tools/go/NAME (its go.sum pins the hashes) after requiring DEP@VERSION;
# PKG is the main package to build (default: the module's own).
nao_go_module_build() {
  local name="$1" dep="$2" version="$3" pkg="${4:-.}"
  local target="$NAO_TOOLS_CACHE/$name-$version"
  if [ -x "$target/$name" ]; then return 0; fi
  echo "ensure-tools: building $name against $dep $version (first run only)..." >&2
  local log="$NAO_TOOLS_CACHE/logs/$name-$version.log" work="$NAO_TOOLS_CACHE/src/$name-$version"
  : >"$log"
  rm -rf "$work" && mkdir -p "$work" && cp -r "$NAO_ROOT/tools/go/$name/." "$work/"
  rm -rf "$target.tmp" && mkdir -p "$target.tmp"
  (cd "$work" \
    && nao_build_step "$name" "$log" go mod edit "-require=$dep@$version" \
    && nao_build_step "$name" "$log" go mod tidy \
    && nao_build_step "$name" "$log" go build -trimpath -ldflags "-s -w" -o "$target.tmp/$name" "$pkg") || return 1
  rm -rf "$target" && mv "$target.tmp" "$target"
}

# kube-apiserver and kubectl from k8s.io/kubernetes: its go.mod points ~30 k8s.io staging modules at
# local folders and requires them at v0.0.0, which no proxy serves; a tools module that replaces each of
# them with its published v0.<minor>.<patch> builds the real commands.
nao_build_kubernetes() {
  local version="$KUBERNETES_VERSION"
  local target="$NAO_TOOLS_CACHE/kubernetes-$version"
  if [ -x "$target/kube-apiserver" ] && [ -x "$target/kubectl" ]; then return 0; fi
  echo "ensure-tools: building kube-apiserver and kubectl $version from k8s.io/kubernetes (first run only, several minutes)..." >&2
  local log="$NAO_TOOLS_CACHE/logs/kubernetes-$version.log" work="$NAO_TOOLS_CACHE/src/kubernetes-$version"
  : >"$log"
  rm -rf "$work" && mkdir -p "$work"
  local staging="v0.${version#v1.}"
  local modfile
  modfile=$(cd "$work" && go mod download -json "k8s.io/kubernetes@$version" 2>>"$log" \
    | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
  if [ -z "$modfile" ] || [ ! -f "$modfile" ]; then
    tail -n 30 "$log" >&2
    echo "ensure-tools: building kubernetes failed: 'go mod download -json k8s.io/kubernetes@$version' gave no go.mod (log: $log)" >&2
    return 1
  fi
  {
    echo "module nats-account-operator/tools/kubernetes"
    echo
    sed -n 's/^go \(.*\)$/go \1/p' "$modfile"
    echo
    echo "replace ("
    # Inside a replace block lines read 'k8s.io/NAME => ./staging/src/k8s.io/NAME'; map each to the
    # published version, and keep any other replacement as it is.
    sed -n '/^replace (/,/^)/p; /^replace [^(]/p' "$modfile" | grep '=>' | sed 's/^replace //' \
      | sed -E "s#^[[:space:]]*(k8s.io/[^ ]+) => ./staging/src/k8s.io/[^ ]+#\t\1 => \1 $staging#"
    echo ")"
  } >"$work/go.mod"
  local vpkg="k8s.io/component-base/version"
  local minor="${version#v1.}"; minor="${minor%%.*}"
  local ldflags="-s -w -X $vpkg.gitVersion=$version -X $vpkg.gitMajor=1 -X $vpkg.gitMinor=$minor -X $vpkg.gitTreeState=clean"
  ldflags="$ldflags -X $vpkg.buildDate=1970-01-01T00:00:00Z"
  rm -rf "$target.tmp" && mkdir -p "$target.tmp"
  (cd "$work" \
    && nao_build_step kubernetes "$log" go get "k8s.io/kubernetes@$version" \
    && nao_build_step kube-apiserver "$log" go build -trimpath -ldflags "$ldflags" -o "$target.tmp/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver \
    && nao_build_step kubectl "$log" go build -trimpath -ldflags "$ldflags" -o "$target.tmp/kubectl" k8s.io/kubernetes/cmd/kubectl) || return 1
  rm -rf "$target" && mv "$target.tmp" "$target"
}

# ensure_tools [GROUP...]: builds what is missing of the groups named (all when none is):
#   nats  nats-server;  cli  the nats CLI, nsc and jwtcheck;  kube  kube-apiserver, kubectl and etcd;
#   ops   argocd-health (gopher-lua, Argo CD's interpreter), kstatus (cli-utils) and promtool (Prometheus).
ensure_tools() {
  NAO_ROOT="$(nao_tools_root)"
  # shellcheck source=/dev/null
  . "$NAO_ROOT/tools/versions.env"
  if ! command -v go >/dev/null 2>&1; then
    echo "ensure-tools: 'go' is not on PATH: install Go 1.26 or newer (the tools in tools/versions.env are built from Go modules)" >&2
    return 1
  fi
  local groups="${*:-nats cli kube ops}"
  # The machine's Go builds every pinned module; a module's toolchain line must not trigger a download.
  export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
  export GOFLAGS="${GOFLAGS:-} -mod=mod"
  NAO_TOOLS_CACHE="${NAO_TOOLS_DIR:-$HOME/.cache/nats-account-operator/tools}"
  mkdir -p "$NAO_TOOLS_CACHE/logs" "$NAO_TOOLS_CACHE/src" "$NAO_TOOLS_CACHE/bin"
  export NAO_TOOLS_BIN="$NAO_TOOLS_CACHE/bin"
  local start=$SECONDS
  case " $groups " in *" nats "*)
    nao_go_install nats-server github.com/nats-io/nats-server/v2 "$NATS_SERVER_VERSION" || return 1
    nao_link nats-server "nats-server-$NATS_SERVER_VERSION/nats-server"
  esac
  case " $groups " in *" cli "*)
    nao_go_install nats github.com/nats-io/natscli/nats "$NATSCLI_VERSION" || return 1
    # The checksum database does not answer for nsc here: tools/go/nsc/go.sum pins its hash instead.
    GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}github.com/nats-io/nsc" \
      nao_go_module_build nsc github.com/nats-io/nsc/v2 "$NSC_VERSION" github.com/nats-io/nsc/v2 || return 1
    nao_go_module_build jwtcheck github.com/nats-io/jwt/v2 "$NATS_JWT_VERSION" || return 1
    nao_link nats "nats-$NATSCLI_VERSION/nats"
    nao_link nsc "nsc-$NSC_VERSION/nsc"
    nao_link jwtcheck "jwtcheck-$NATS_JWT_VERSION/jwtcheck"
  esac
  case " $groups " in *" kube "*)
    nao_build_kubernetes || return 1
    nao_go_module_build etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION" || return 1
    nao_link kube-apiserver "kubernetes-$KUBERNETES_VERSION/kube-apiserver"
    nao_link kubectl "kubernetes-$KUBERNETES_VERSION/kubectl"
    nao_link etcd "etcd-$ETCD_VERSION/etcd"
    # kube-api-test offline mode: <dir>/k8s/<version>-linux-amd64/{kube-apiserver,etcd,kubectl}.
    export KUBE_API_TEST_DIR="${KUBE_API_TEST_DIR:-$NAO_TOOLS_CACHE/kubeapitest}"
    export KUBE_API_TEST_API_SERVER_VERSION="${KUBERNETES_VERSION#v}"
    local lay="$KUBE_API_TEST_DIR/k8s/$KUBE_API_TEST_API_SERVER_VERSION-linux-amd64"
    mkdir -p "$lay"
    local b
    for b in kube-apiserver etcd kubectl; do
      ln -sfn "$(readlink -f "$NAO_TOOLS_BIN/$b")" "$lay/$b"
    done
  esac
  case " $groups " in *" ops "*)
    # GitOps and alerting checks: Argo CD health scripts in gopher-lua, kstatus as Flux computes it, and
    # promtool, which checks and unit-tests the chart's PrometheusRule. remove_all_sd (Prometheus >= 3.10) leaves out
    # the cloud service-discovery providers, which rule tests never use: 3.6 min and 411 CPU-s on 2 cores from a
    # cold Go cache, against about 15 CPU-minutes with them.
    nao_go_module_build argocd-health github.com/yuin/gopher-lua "$GOPHER_LUA_VERSION" || return 1
    nao_go_module_build kstatus sigs.k8s.io/cli-utils "$CLI_UTILS_VERSION" || return 1
    nao_go_install promtool github.com/prometheus/prometheus/cmd/promtool "$PROMETHEUS_VERSION" remove_all_sd || return 1
    nao_link argocd-health "argocd-health-$GOPHER_LUA_VERSION/argocd-health"
    nao_link kstatus "kstatus-$CLI_UTILS_VERSION/kstatus"
    nao_link promtool "promtool-$PROMETHEUS_VERSION/promtool"
  esac
  if [ $((SECONDS - start)) -gt 5 ]; then
    echo "ensure-tools: tools ready in $((SECONDS - start)) s (cached under $NAO_TOOLS_CACHE)" >&2
  fi
}

# One directory of current binaries: symlinks into the versioned cache.
nao_link() {
  ln -sfn "$NAO_TOOLS_CACHE/$2" "$NAO_TOOLS_BIN/$1"
}
