#!/usr/bin/env bash
# CPU per watch event decoded: fabric8's path against the operator's one pass
# (informers/WatchEventSerialization), on events shaped as kube-apiserver writes them
# (bench/watch-decoding/*.json). One thread; rounds of both paths interleaved after a warm-up;
# medians of thread CPU time. Prints each path's microseconds per event and their ratio.
#
#   bench/run-watch-decoding.sh        about a minute after the build
#
# Not part of `mvn verify`. Run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
java -cp "target/test-classes:target/nats-account-operator.jar" dev.nats.accounts.bench.WatchDecodingBench \
  bench/watch-decoding
