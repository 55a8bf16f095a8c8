# shellcheck shell=bash
# Helpers for e2e/run.sh (sourced, not executed).

log() {
  printf '\n==> %s\n' "$*" >&2
}

die() {
  printf 'e2e: %s\n' "$*" >&2
  exit 1
}

# need CMD...: fail early, naming every missing prerequisite.
need() {
  local missing=()
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || missing+=("$c")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    die "missing prerequisites: ${missing[*]} (see e2e/README.md)"
  fi
}

# wait_for_object TIMEOUT_SECONDS KUBECTL_GET_ARGS...: until `kubectl get` finds the object.
wait_for_object() {
  local timeout=$1
  shift
  local deadline=$((SECONDS + timeout))
  until kubectl get "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      die "timed out after ${timeout}s waiting for: kubectl get $*"
    fi
    sleep 2
  done
}

# wait_ready NAMESPACE RESOURCE...: kubectl wait for condition Ready on every object of each resource.
wait_ready() {
  local ns=$1
  shift
  local r
  for r in "$@"; do
    log "waiting for $r in $ns to be Ready"
    if ! kubectl wait --for=condition=Ready "$r" --all -n "$ns" --timeout="${READY_TIMEOUT:-180s}"; then
      kubectl get "$r" -n "$ns" -o yaml >&2 || true
      die "$r in $ns did not become Ready"
    fi
  done
}

# secret_key_to_file NAMESPACE SECRET KEY FILE: decode one key of a Secret into a file (mode 600).
secret_key_to_file() {
  local ns=$1 secret=$2 key=$3 file=$4
  local escaped=${key//./\\.}
  (umask 077 && kubectl get secret "$secret" -n "$ns" -o "jsonpath={.data.${escaped}}" | base64 -d >"$file")
  [ -s "$file" ] || die "secret $ns/$secret has no key $key"
}

# wait_for_port HOST PORT TIMEOUT_SECONDS: until a TCP connect succeeds (bash /dev/tcp).
wait_for_port() {
  local host=$1 port=$2 timeout=$3
  local deadline=$((SECONDS + timeout))
  until (exec 3<>"/dev/tcp/${host}/${port}") 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      die "nothing listens on ${host}:${port} after ${timeout}s"
    fi
    sleep 1
  done
}
