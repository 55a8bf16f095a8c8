package dev.nats.accounts.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Names of the objects the operator writes. They are predictable on purpose (api.md): users back up
 * key Secrets by name and restore them before re-applying the resources.
 */
public final class Names {
  private Names() {}

  public static final String SYSTEM_ACCOUNT_NAME = "SYS";

  public static String operatorKeys(String operator) {
    return bounded(operator, "-operator-keys");
  }

  public static String systemAccountKeys(String operator) {
    return bounded(operator, "-system-account-keys");
  }

  public static String systemCreds(String operator) {
    return bounded(operator, "-system-creds");
  }

  public static String serverConfig(String operator) {
    return bounded(operator, "-server-config");
  }

  public static String accountKeys(String account) {
    return bounded(account, "-account-keys");
  }

  public static String userCreds(String user) {
    return bounded(user, "-creds");
  }

  /** Object names are DNS subdomains of at most 253 characters. */
  public static final int MAX_NAME = 253;

  /**
   * {@code base + suffix}, shortened when too long: the base is cut and a hash of the whole base
   * keeps different long names apart. The hash is SHA-256 (64 bits of it): names are chosen by
   * tenants, and a 32-bit string hash could be made to collide on purpose, so that two resources
   * would want one Secret. Names that fit (all the usual ones) stay as api.md shows.
   */
  public static String bounded(String base, String suffix) {
    if (base.length() + suffix.length() <= MAX_NAME) {
      return base + suffix;
    }
    String hash = sha256Hex(base).substring(0, 16);
    String cut =
        base.substring(0, MAX_NAME - suffix.length() - hash.length() - 1).replaceAll("[.-]+$", "");
    return cut + "-" + hash + suffix;
  }

  private static String sha256Hex(String s) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The key Secret entry of signing key {@code keyName} (an Account's key by name, an Operator's by
   * number).
   */
  public static String signingEntry(String keyName) {
    return "signing-" + keyName;
  }

  /** The Operator's n-th signing key (1-based). */
  public static String operatorSigningEntry(int n) {
    return signingEntry(String.valueOf(n));
  }

  /**
   * The Operator's key that signs account JWTs: its first signing key (strict signing: never the
   * identity).
   */
  public static final String ACCOUNT_SIGNER = operatorSigningEntry(1);

  /**
   * namespace/name, as messages and logs show a resource (index keys are {@link Indexes}' typed
   * ids).
   */
  public static String ref(String namespace, String name) {
    return namespace + "/" + name;
  }

  public static String ref(HasMetadata r) {
    return ref(r.getMetadata().getNamespace(), r.getMetadata().getName());
  }
}
