#!/usr/bin/env bash
# The scale benchmark (bench/README.md): N tenants on a real kube-apiserver + etcd, the operator as a separate JVM,
# nats-server 2.15. Not part of `mvn verify`.
#
#   bench/scale/run.sh 100                     one size
#   bench/scale/run.sh 100 1000 3000           several sizes, one after another, one report each
#   QUIET_SECONDS=30 bench/scale/run.sh 100    a shorter steady-state window (default 120 s)
#   FINALIZERS_AT_ADMISSION=disabled ...        without the chart's finalizer policy (the operator adds them)
#   READY_WAIT=list ...                         wait by listing every resource each second (runs before 2026-12-01)
#
# Builds the tools (scripts/lib/ensure-tools.sh) and the jar when needed. Each run prints RESULT {...} and a
# table; the operator's logs stay in the work directory it names. Run it on a quiet machine: every figure is
# CPU-bound on two cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/ensure-debian.sh
ensure_nats_server
. scripts/lib/ensure-tools.sh
ensure_tools nats kube
if [ $# -eq 0 ]; then set -- 100; fi
# The harness runs from the test classes on top of the shaded jar (which holds kube-api-test and the client), with
# helm-java (a test dependency) to render the chart's finalizer policy.
mvn -B -q -DskipTests package
helm_cp=$(mvn -B -q dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.includeGroupIds=com.marcnuri.helm-java,net.java.dev.jna -Dmdep.outputFile=/dev/stdout)
for n in "$@"; do
  echo "=== $n tenants ==="
  java -Xmx2g -cp "target/test-classes:target/nats-account-operator.jar:$helm_cp" -Dbench.jar=target/nats-account-operator.jar \
    dev.nats.accounts.bench.ScaleBench "$n" "${QUIET_SECONDS:-120}"
done
