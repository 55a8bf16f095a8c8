package dev.nats.accounts.api;

/**
 * The one touch the CRD generator cannot make: {@code maxLength: 32} on every int-or-string field.
 * It ignores {@code @Size} there, and without a bound a real API server refuses the Account CRD,
 * because it estimates the cost of the byte-size CEL rule on an unbounded string (11.6 times over
 * budget inside the signing-key list).
 *
 * <p>scripts/update-crds applies the same step with awk when it writes crds/; CrdDriftTest checks
 * that crds/ equals this applied to the generated CRDs, and the demo applies it to the CRDs in the
 * jar.
 */
public final class CrdFinish {
  private CrdFinish() {}

  public static String finish(String generatedYaml) {
    return generatedYaml.replaceAll(
        "(?m)^( *)x-kubernetes-int-or-string: true$",
        "$1x-kubernetes-int-or-string: true\n$1maxLength: 32");
  }
}
