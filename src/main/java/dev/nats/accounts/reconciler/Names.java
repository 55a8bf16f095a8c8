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
    return operator + "-operator-keys";
  }

  public static String systemAccountKeys(String operator) {
    return operator + "-system-account-keys";
  }

  public static String systemCreds(String operator) {
    return operator + "-system-creds";
  }

  public static String serverConfig(String operator) {
    return operator + "-server-config";
  }

  public static String accountKeys(String account) {
    return account + "-account-keys";
  }

  public static String userCreds(String user) {
    return user + "-creds";
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
