package dev.nats.accounts.bench;

import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import java.nio.charset.StandardCharsets;
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
 * Account JWT encode+sign throughput on one thread, the number compared with the Go library's
 * {@code AccountClaims.Encode} by {@code bench/run-signing.sh}. {@link #rawSign} is the floor: the
 * Ed25519 signature alone over an input as long as the JWT's signing input, so the gap between the
 * two is what JSON, base64 and hashing cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Threads(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
public class AccountJwtBench {

  private KeyPair signer;
  private AccountClaims claims;
  private byte[] signingInput;

  @Setup
  public void setUp() {
    signer = BenchClaims.signer();
    claims = BenchClaims.claims();
    String token = JwtEncoder.encode(claims, signer, nowSeconds());
    // header.payload: exactly the bytes the encoder hands to the signer.
    signingInput = token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
  }

  /** Same work as Go's Encode: iat from the clock, JSON, jti, base64url, Ed25519 signature. */
  @Benchmark
  public String encodeAndSign() {
    return JwtEncoder.encode(claims, signer, nowSeconds());
  }

  @Benchmark
  public byte[] rawSign() {
    return signer.sign(signingInput);
  }

  private static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }
}
