# shellcheck shell=bash
# Sourced by scripts/test and scripts/demo: installs Debian packages the tests or the demo need when missing.

# ensure_debian_package PACKAGE COMMAND [DIR]: installs PACKAGE unless COMMAND is on the PATH or in DIR.
ensure_debian_package() {
  local package="$1" command="$2" dir="${3:-}"
  if command -v "$command" >/dev/null 2>&1 || { [ -n "$dir" ] && [ -x "$dir/$command" ]; }; then
    return 0
  fi
  echo "$command not found: installing Debian's $package package" >&2
  local sudo=""
  if [ "$(id -u)" != "0" ]; then sudo="sudo"; fi
  if [ -z "${NAO_APT_UPDATED:-}" ]; then
    $sudo apt-get update -qq
    NAO_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$package"
}

# Debian's nats-server (2.9.10, under /usr/sbin): the oldest version we support, and the demo's fallback.
ensure_nats_server() {
  ensure_debian_package nats-server nats-server /usr/sbin
}
