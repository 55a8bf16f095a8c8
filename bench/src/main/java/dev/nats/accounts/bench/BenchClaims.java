package dev.nats.accounts.bench;

import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.AccountLimits;
import dev.nats.accounts.jwt.Export;
import dev.nats.accounts.jwt.ExportType;
import dev.nats.accounts.jwt.Import;
import dev.nats.accounts.jwt.KeyPair;
import java.util.ArrayList;
import java.util.List;

/**
 * The claims both harnesses sign. They must stay identical to {@code newClaims()} in {@code
 * bench/go/main.go}, otherwise the Java/Go ratio compares different work; the run script checks the
 * shape by having the Go library decode and validate a Java token.
 */
public final class BenchClaims {

  /**
   * Fixed benchmark keys (raw seeds of 0x11, 0x22 and 0x33 bytes). They protect nothing; fixing
   * them makes both sides sign with the same key and produce tokens of the same length.
   */
  static final String OPERATOR_SIGNING_SEED =
      "SOABCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEPQWM";

  static final String ACCOUNT_PUBLIC_KEY =
      "ACQJVJPUPJTVTABP7FK7RXBNFIKKLSM5EO7JP6DECJ77SOBUKWSPBI3I";
  static final String EXPORTER_PUBLIC_KEY =
      "AAL4W6P3FNASB4VR5RS6IGMNNYELFDUBH7VQDZFEACBZXBPBQCAM5GPA";
  static final String ACCOUNT_NAME = "bench-account";
  static final int COUNT = 10;

  private BenchClaims() {}

  static KeyPair signer() {
    return KeyPair.fromSeed(OPERATOR_SIGNING_SEED);
  }

  /** Even indexes are services, odd ones streams; every import renames into a local subject. */
  static AccountClaims claims() {
    List<Export> exports = new ArrayList<>();
    List<Import> imports = new ArrayList<>();
    for (int i = 0; i < COUNT; i++) {
      boolean service = i % 2 == 0;
      ExportType type = service ? ExportType.SERVICE : ExportType.STREAM;
      String suffix = service ? "service" : "stream.>";
      exports.add(
          new Export(
              (service ? "svc-" : "stream-") + i,
              "export." + i + "." + suffix,
              type,
              false,
              null,
              null,
              null,
              null,
              0,
              false,
              null,
              null));
      imports.add(
          new Import(
              (service ? "imp-svc-" : "imp-stream-") + i,
              "import." + i + "." + suffix,
              EXPORTER_PUBLIC_KEY,
              null,
              "local." + i + "." + suffix,
              type,
              false));
    }
    return new AccountClaims(
        ACCOUNT_NAME,
        ACCOUNT_PUBLIC_KEY,
        List.copyOf(imports),
        List.copyOf(exports),
        AccountLimits.UNLIMITED,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }
}
