package dev.nats.accounts.bench;

import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.ClaimsHash;
import dev.nats.accounts.jwt.ClaimsValidator;
import dev.nats.accounts.jwt.Violation;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Diagnostic split of {@link AccountJwtBench#encodeAndSign} through the public API only (so it
 * keeps compiling when the library's internals move): validation alone, and JSON + SHA-512/256
 * (what {@link ClaimsHash} does, close to the encoder's jti step). Average time per call in
 * microseconds, to subtract from the encode+sign time. Not run by run-signing.sh; see
 * docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Threads(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class AccountJwtPartsBench {

  private AccountClaims claims;

  @Setup
  public void setUp() {
    claims = BenchClaims.claims();
    List<Violation> v = ClaimsValidator.validate(claims);
    if (!v.isEmpty()) {
      throw new IllegalStateException("benchmark claims are invalid: " + v);
    }
  }

  @Benchmark
  public List<Violation> validate() {
    return ClaimsValidator.validate(claims);
  }

  @Benchmark
  public String jsonAndHash() {
    return ClaimsHash.of(claims);
  }
}
