#!/usr/bin/env bash
# Account JWT encode+sign: our Java library (JMH) against the official Go nats-io/jwt v2 library,
# same claims (10 exports, 10 imports, unlimited limits), one thread each, in the same run.
# Prints both rates, the ratio Java/Go and PASS/FAIL against the target ratio; exits 1 on FAIL.
#
#   bench/run-signing.sh            full run (about 2.5 minutes including the build)
#   QUICK=1 bench/run-signing.sh    shorter measurement, for trying the script itself
#   BENCH_NICE=-10 bench/run-signing.sh   raise both harnesses' priority (root) on a busy machine
#
# Warm-up is long on purpose: pinned to one core, C2 compiles BouncyCastle's Ed25519 on the same core
# the benchmark runs on, and on a busy machine encode+sign only settles after about 10 seconds.
# Rates are medians of 1-second rounds: Go runs before and after Java and its rounds are pooled, so
# load that changes during the run hits both sides alike. The spread and load average are printed:
# on a machine busy with other work the ratio is noisy, judge it with them.
#
# Needs: mvn + JDK 17 (Maven Central for the first build), Debian's golang-go and
# golang-github-nats-io-jwt-dev (sources under /usr/share/gocode). Not part of `mvn verify`.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
target_ratio=${TARGET_RATIO:-1.3}
gopath_sys=${GOPATH_SYS:-/usr/share/gocode}
work=$here/target/run
mkdir -p "$work"

if [[ -n "${QUICK:-}" ]]; then
  go_args=(-warmup 2s -round 1s -rounds 3)
  jmh_args=(-wi 3 -w 1s -i 3 -r 1s)
  cpu_args=(1 3 0.5)
else
  go_args=(-warmup 3s -round 1s -rounds 8)
  jmh_args=(-wi 8 -w 2s -i 10 -r 1s)
  cpu_args=(4 5 1)
fi

# One core for each harness, the same core every time, so both see the same hardware.
pin=()
if [[ -n "${BENCH_NICE:-}" ]]; then
  pin=(nice -n "$BENCH_NICE")
fi
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
  pin+=(taskset -c 0)
else
  echo "warning: taskset not available, running unpinned" >&2
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

echo "== build: Go harness (GOPATH mode, offline, $gopath_sys)"
if [[ ! -d "$gopath_sys/src/github.com/nats-io/jwt/v2" ]]; then
  echo "missing $gopath_sys/src/github.com/nats-io/jwt/v2: apt-get install golang-go golang-github-nats-io-jwt-dev" >&2
  exit 2
fi
(cd "$here/go" && GO111MODULE=off GOPATH="$gopath_sys" GOFLAGS='' go build -o "$work/jwtbench" main.go)

echo "== build: JMH benchmarks (bench/pom.xml)"
# shellcheck disable=SC2086 # MVN_ARGS holds several Maven flags, split on purpose
mvn -B -q ${MVN_ARGS:-} -f "$here/pom.xml" package
jar=$here/target/benchmarks.jar

echo "== claims equivalence"
"$work/jwtbench" -print-token >"$work/go-token.txt"
java -cp "$jar" dev.nats.accounts.bench.TokenInfo >"$work/java-token.txt"
java_token=$(sed -n 's/^java_token=//p' "$work/java-token.txt")
go_token=$(sed -n 1p "$work/go-token.txt")
echo "go_token_len=${#go_token} go_payload_json_len=$(sed -n 2p "$work/go-token.txt" | tr -d '\n' | wc -c)"
grep -E '^java_(token_len|signing)=' "$work/java-token.txt"
# The official library must decode, verify and validate our token and see the same shape.
if ! "$work/jwtbench" -check "$java_token" | tee "$work/check.txt"; then
  echo "FAIL: the Go library does not read the Java token as the same claims" >&2
  exit 1
fi

echo "== run 1/4: Go nats-io/jwt v2 AccountClaims.Encode (${pin[*]:-unpinned})"
"${pin[@]}" "$work/jwtbench" "${go_args[@]}" | tee "$work/go-1.txt"

echo "== run 2/4: Java JMH AccountJwtBench (${pin[*]:-unpinned})"
"${pin[@]}" java -jar "$jar" 'AccountJwtBench' -f 1 -t 1 "${jmh_args[@]}" \
  -rf csv -rff "$work/jmh.csv" | tee "$work/jmh.txt"

echo "== run 3/4: Java per CPU second (secondary: steadier than wall time on a shared machine)"
"${pin[@]}" java -cp "$jar" dev.nats.accounts.bench.CpuRates "${cpu_args[@]}" | tee "$work/java-cpu.txt"

echo "== run 4/4: Go again (the Go rate is the median of the rounds before and after Java)"
"${pin[@]}" "$work/jwtbench" "${go_args[@]}" | tee "$work/go-2.txt"

# "median min max" of a list of numbers, one per line.
stats() { sort -n | awk '{v[NR]=$1} END {if (!NR) exit; m = (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2
  printf "%.0f %.0f %.0f\n", m, v[1], v[NR]}'; }
# Measurement iterations of one JMH benchmark, from its human-readable output.
jmh_rounds() { awk -v b="$1" '/^# Benchmark: / {cur = ($3 ~ "\\." b "$")} cur && /^Iteration / {print $3}' "$work/jmh.txt"; }
read -r go_rate go_min go_max < <(sed -n 's/^go_round_[0-9]*=\([0-9]*\).*/\1/p' "$work/go-1.txt" "$work/go-2.txt" | stats)
read -r java_rate java_min java_max < <(jmh_rounds encodeAndSign | stats)
read -r raw_rate raw_min raw_max < <(jmh_rounds rawSign | stats)
read -r go_cpu _ < <(sed -n 's/.*go_cpu_round_[0-9]*=//p' "$work/go-1.txt" "$work/go-2.txt" | stats)
java_cpu=$(sed -n 's/^java_jwts_per_cpu_sec=\([0-9]*\).*/\1/p' "$work/java-cpu.txt")
if [[ -z "$go_rate" || -z "$java_rate" ]]; then
  echo "FAIL: could not read the rates (go='$go_rate' java='$java_rate')" >&2
  exit 1
fi

echo
echo "== result ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cpus, ${pin[*]:-unpinned}," \
  "load average before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"))"
echo "java_jwts_per_sec=$java_rate (rounds $java_min..$java_max)"
echo "java_raw_sign_per_sec=$raw_rate (rounds $raw_min..$raw_max)"
echo "go_jwts_per_sec=$go_rate (rounds $go_min..$go_max)"
awk -v j="$java_cpu" -v g="$go_cpu" 'BEGIN { if (j && g) printf "per CPU second (secondary): java=%s go=%s ratio=%.2f\n", j, g, j / g }'
awk -v j="$java_rate" -v g="$go_rate" -v t="$target_ratio" 'BEGIN {
  r = j / g
  printf "ratio_java_over_go=%.2f\n", r
  if (r >= t) { printf "PASS (>= %s)\n", t; exit 0 } else { printf "FAIL (< %s)\n", t; exit 1 }
}'
