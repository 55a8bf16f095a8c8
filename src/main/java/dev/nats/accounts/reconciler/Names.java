package dev.nats.accounts.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Names of the objects the operator writes. They are predictable on purpose (api.md): users back
 * up key Secrets by name and restore them before re-applying the resources.
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
   * keeps different long names apart. Names that fit (all the usual ones) stay as api.md shows.
   */
  public static String bounded(String base, String suffix) {
    if (base.length() + suffix.length() <= MAX_NAME) {
      return base + suffix;
    }
    String hash = Integer.toHexString(base.hashCode() & 0x7fffffff);
    String cut = base.substring(0, MAX_NAME - suffix.length() - hash.length() - 1).replaceAll("[.-]+$", "");
    return cut + "-" + hash + suffix;
  }

  public static String signingEntry(String keyName) {
    return "signing-" + keyName;
  }

  /** namespace/name, the form used in index keys and messages. */
  public static String ref(String namespace, String name) {
    return namespace + "/" + name;
  }

  public static String ref(HasMetadata r) {
    return ref(r.getMetadata().getNamespace(), r.getMetadata().getName());
  }
}
