package dev.nats.accounts.reconciler.account;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.jwt.Export;
import dev.nats.accounts.jwt.Import;
import java.util.List;

/**
 * Supplies the exports and imports an account JWT must carry. The Account reconciler stays the
 * only signer; the export/import kinds only describe what they contribute.
 */
public interface ExportImportResolver {
  /** An import that could not be placed in the JWT, with the reason its resource reports. */
  record Unresolved(String kind, String name, String reason, String message) {}

  record Resolved(List<Export> exports, List<Import> imports, List<Unresolved> unresolved) {
    public static final Resolved NONE = new Resolved(List.of(), List.of(), List.of());
  }

  Resolved resolve(Account account, String accountPublicKey);

  ExportImportResolver NONE = (a, k) -> Resolved.NONE;
}
