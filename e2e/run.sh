#!/usr/bin/env bash
# End-to-end test on a throwaway kind cluster: builds the operator image, installs the Helm chart and the
# official NATS chart wired to the operator's resolver.conf, applies the nsc Services tutorial
# (examples/seed-tutorial), waits for every resource to be Ready, then runs the tutorial's requests with the
# nats CLI and the creds the operator wrote into Secrets. Tears everything down unless KEEP_CLUSTER=1.
#
# Needs docker, kind, kubectl, helm, nats (CLI), java 17 + mvn; see e2e/README.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$ROOT/e2e/lib.sh"

CLUSTER_NAME=${CLUSTER_NAME:-nats-accounts-e2e}
IMAGE_REPO=${IMAGE_REPO:-ghcr.io/nats-account-operator/nats-account-operator}
IMAGE_TAG=${IMAGE_TAG:-e2e}
NATS_CHART_VERSION=${NATS_CHART_VERSION:-}   # empty: the latest 1.x in the repo
LOCAL_PORT=${LOCAL_PORT:-14222}
KEEP_CLUSTER=${KEEP_CLUSTER:-0}
SKIP_BUILD=${SKIP_BUILD:-0}

WORK=$(mktemp -d)
PIDS=()
CLUSTER_CREATED=0   # only a cluster this run created is inspected and deleted

cleanup() {
  local rc=$?
  local pid
  for pid in ${PIDS[@]+"${PIDS[@]}"}; do
    kill "$pid" 2>/dev/null || true
  done
  if [ "$CLUSTER_CREATED" = "1" ]; then
    if [ "$rc" -ne 0 ]; then
      log "failed (exit $rc); operator log tail:"
      kubectl --context "kind-$CLUSTER_NAME" logs -n nats-account-operator deploy/nao-nats-account-operator \
        --tail=80 2>/dev/null || true
    fi
    if [ "$KEEP_CLUSTER" = "1" ]; then
      log "keeping cluster $CLUSTER_NAME (kind delete cluster --name $CLUSTER_NAME)"
    else
      log "deleting kind cluster $CLUSTER_NAME"
      kind delete cluster --name "$CLUSTER_NAME" >/dev/null 2>&1 || true
    fi
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

need docker kind kubectl helm nats base64
[ "$SKIP_BUILD" = "1" ] || need mvn java

cd "$ROOT"

if [ "$SKIP_BUILD" != "1" ]; then
  log "building the operator jar and image $IMAGE_REPO:$IMAGE_TAG"
  mvn -B -q package -DskipTests
  docker build -t "$IMAGE_REPO:$IMAGE_TAG" .
fi

log "creating kind cluster $CLUSTER_NAME"
if kind get clusters 2>/dev/null | grep -qx "$CLUSTER_NAME"; then
  die "a kind cluster named $CLUSTER_NAME already exists; delete it or set CLUSTER_NAME"
fi
kind create cluster --name "$CLUSTER_NAME" --wait 120s
CLUSTER_CREATED=1
kubectl config use-context "kind-$CLUSTER_NAME" >/dev/null
kind load docker-image "$IMAGE_REPO:$IMAGE_TAG" --name "$CLUSTER_NAME"

log "installing the operator chart"
helm upgrade --install nao charts/nats-account-operator \
  --namespace nats-account-operator --create-namespace \
  --set image.repository="$IMAGE_REPO" --set image.tag="$IMAGE_TAG" --set image.pullPolicy=Never \
  --wait --timeout 180s

for ns in nats tenant-a tenant-b; do
  kubectl create namespace "$ns" --dry-run=client -o yaml | kubectl apply -f -
done

log "declaring the Operator (trust root) and waiting for its server config"
kubectl apply -f examples/seed-tutorial/00-operator.yaml
wait_for_object 120 configmap main-server-config -n nats

log "installing NATS with the operator's resolver.conf included"
helm repo add nats https://nats-io.github.io/k8s/helm/charts/ --force-update >/dev/null
version_args=()
if [ -n "$NATS_CHART_VERSION" ]; then
  version_args=(--version "$NATS_CHART_VERSION")
fi
helm upgrade --install nats nats/nats ${version_args[@]+"${version_args[@]}"} \
  --namespace nats -f e2e/nats-values.yaml --wait --timeout 300s
# Show that the server runs in operator mode with our operator.
kubectl logs -n nats statefulset/nats -c nats | grep -E "Trusted Operators|Managing all jwt" || \
  die "nats-server did not start in operator mode with a full resolver"

wait_ready nats operators.accounts.nats.dev

log "applying the tutorial's accounts, users, exports and imports"
kubectl apply -f examples/seed-tutorial/10-account-a.yaml -f examples/seed-tutorial/20-account-b.yaml
wait_ready tenant-a accounts.accounts.nats.dev users.accounts.nats.dev serviceexports.accounts.nats.dev
wait_ready tenant-b accounts.accounts.nats.dev users.accounts.nats.dev serviceimports.accounts.nats.dev

log "fetching creds from the User Secrets"
secret_key_to_file tenant-a u-creds user.creds "$WORK/u.creds"
secret_key_to_file tenant-b b-creds user.creds "$WORK/b.creds"

log "port-forwarding the NATS client port to 127.0.0.1:$LOCAL_PORT"
kubectl port-forward -n nats svc/nats "$LOCAL_PORT:4222" >"$WORK/port-forward.log" 2>&1 &
PIDS+=("$!")
wait_for_port 127.0.0.1 "$LOCAL_PORT" 30
SERVER="nats://127.0.0.1:$LOCAL_PORT"

log "user u (account A) answers help and private.help.*"
nats --server "$SERVER" --creds "$WORK/u.creds" reply help "I will help" >"$WORK/reply-help.log" 2>&1 &
PIDS+=("$!")
nats --server "$SERVER" --creds "$WORK/u.creds" reply 'private.help.*' "help is here" >"$WORK/reply-private.log" 2>&1 &
PIDS+=("$!")
sleep 2   # let both subscriptions reach the server before the first request

log "user b (account B) requests help (public export) and private.help (private export, activation token)"
public=$(nats --server "$SERVER" --creds "$WORK/b.creds" request --raw --timeout 5s help "me")
private=$(nats --server "$SERVER" --creds "$WORK/b.creds" request --raw --timeout 5s private.help "me")
echo "help         -> $public"
echo "private.help -> $private"
[ "$public" = "I will help" ] || die "unexpected reply on help: '$public'"
[ "$private" = "help is here" ] || die "unexpected reply on private.help: '$private'"

log "e2e passed"
