package dev.nats.accounts.bench;

import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.ClaimsHash;
import dev.nats.accounts.jwt.ClaimsValidator;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Rates per second of process CPU time (GC and JIT included, like the Go harness's {@code
 * go_jwts_per_cpu_sec}). JMH's wall-clock rates drop whenever other work shares the core; CPU time
 * mostly does not, so on a busy machine this is the steadier comparison. Secondary to JMH, printed
 * by run-signing.sh next to it. Args: warm-up seconds per path, rounds, round seconds.
 */
public final class CpuRates {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static Object sink;

  private CpuRates() {}

  public static void main(String[] args) {
    double warmup = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    double round = args.length > 2 ? Double.parseDouble(args[2]) : 1;
    KeyPair signer = BenchClaims.signer();
    AccountClaims claims = BenchClaims.claims();
    String token = JwtEncoder.encode(claims, signer, System.currentTimeMillis() / 1000);
    byte[] signingInput =
        token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);

    Map<String, Supplier<Object>> ops = new LinkedHashMap<>();
    ops.put(
        "java_jwts_per_cpu_sec",
        () -> JwtEncoder.encode(claims, signer, System.currentTimeMillis() / 1000));
    ops.put("java_raw_sign_per_cpu_sec", () -> signer.sign(signingInput));
    ops.put("java_validate_per_cpu_sec", () -> ClaimsValidator.validate(claims));
    ops.put("java_json_hash_per_cpu_sec", () -> ClaimsHash.of(claims));
    // Warm every path before measuring any: the JIT compiler threads' CPU time counts as process
    // time, so compiling one path while measuring another would bill it to the wrong line.
    for (Supplier<Object> op : ops.values()) {
      measure(op, warmup);
    }
    ops.forEach((name, op) -> report(name, op, rounds, round));
    if (sink == null) {
      throw new IllegalStateException("unreachable: keeps the results alive");
    }
  }

  private static void report(String name, Supplier<Object> op, int rounds, double round) {
    double[] rates = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      rates[i] = measure(op, round);
    }
    Arrays.sort(rates);
    double median =
        rounds % 2 == 1 ? rates[rounds / 2] : (rates[rounds / 2 - 1] + rates[rounds / 2]) / 2;
    System.out.printf(
        "%s=%.0f (%.0f us/op, rounds %.0f..%.0f)%n",
        name, median, 1e6 / median, rates[0], rates[rounds - 1]);
  }

  /** Runs op for about {@code seconds} of wall time; returns ops per second of process CPU time. */
  private static double measure(Supplier<Object> op, double seconds) {
    long n = 0;
    long cpu0 = OS.getProcessCpuTime();
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    do {
      sink = op.get();
      n++;
    } while (System.nanoTime() < deadline);
    return n / ((OS.getProcessCpuTime() - cpu0) / 1e9);
  }
}
