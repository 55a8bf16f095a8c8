package dev.nats.accounts.reconciler.exports;

import dev.nats.accounts.api.v1alpha1.Grant;
import java.util.Locale;

/** Grant rules shared by the export side (minting) and the import side (finding one's grant). */
public final class Grants {
  public static final String ACCOUNT_PLACEHOLDER = "{{account}}";
  public static final String TOKEN_KEY = "activation.jwt";
  public static final String EXPORT_LABEL = "accounts.nats.dev/export";
  public static final String GRANTEE_LABEL = "accounts.nats.dev/grantee";

  private Grants() {}

  /** The subject a grant covers: its own (with {{account}} = grantee key) or the whole export. */
  public static String subject(Grant grant, String exportSubject, String granteeKey) {
    if (grant == null || grant.getSubject() == null || grant.getSubject().isEmpty()) {
      return exportSubject;
    }
    return grant.getSubject().replace(ACCOUNT_PLACEHOLDER, granteeKey);
  }

  /**
   * Secret {@code <export>-activation-<first 12 chars of the grantee key, lower case>} (api.md).
   */
  public static String secretName(String exportName, String granteeKey) {
    return dev.nats.accounts.reconciler.Names.bounded(
        exportName,
        "-activation-"
            + granteeKey.substring(0, Math.min(12, granteeKey.length())).toLowerCase(Locale.ROOT));
  }

  /**
   * Whether {@code grant} names this account, by reference (namespace defaults to the export's) or
   * by key.
   */
  public static boolean names(
      Grant grant,
      String exportNamespace,
      String accountNamespace,
      String accountName,
      String accountKey) {
    if (grant.getPublicKey() != null) {
      return grant.getPublicKey().equals(accountKey);
    }
    if (grant.getAccount() == null) {
      return false;
    }
    String ns =
        grant.getAccount().getNamespace() == null
            ? exportNamespace
            : grant.getAccount().getNamespace();
    return ns.equals(accountNamespace) && grant.getAccount().getName().equals(accountName);
  }
}
