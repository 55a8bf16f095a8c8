package dev.nats.accounts.reconciler.account;

import dev.nats.accounts.api.v1alpha1.AccountSpec;
import dev.nats.accounts.api.v1alpha1.SigningKeySpec;
import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.Export;
import dev.nats.accounts.jwt.Import;
import dev.nats.accounts.jwt.SigningKey;
import dev.nats.accounts.reconciler.SpecConversions;
import java.util.List;
import java.util.Map;

/**
 * The desired account JWT claims from the Account spec and everything that feeds it (exports,
 * imports, revocations). Pure: the reconciler resolves references, this class only assembles, so
 * every shape decision is unit tested without Kubernetes or NATS.
 */
public final class AccountClaimsBuilder {
  private AccountClaimsBuilder() {}

  /** A signing key as resolved from the keys Secret. */
  public record ResolvedSigningKey(SigningKeySpec spec, String publicKey) {}

  public record Inputs(
      String resourceName,
      AccountSpec spec,
      String accountPublicKey,
      List<ResolvedSigningKey> signingKeys,
      List<Export> exports,
      List<Import> imports,
      Map<String, Long> revocations) {}

  public static AccountClaims build(Inputs in) {
    AccountSpec spec = in.spec() == null ? new AccountSpec() : in.spec();
    String name = spec.getDisplayName() == null ? in.resourceName() : spec.getDisplayName();
    AccountClaims.Builder b =
        AccountClaims.builder(name, in.accountPublicKey())
            .limits(SpecConversions.accountLimits(spec.getLimits()))
            .defaultPermissions(
                SpecConversions.permissions(
                    spec.getDefaultPermissions(), "spec.defaultPermissions"))
            .description(spec.getDescription())
            .infoUrl(spec.getInfoURL());
    if (spec.getTags() != null) {
      spec.getTags().forEach(b::addTag);
    }
    for (int i = 0; i < in.signingKeys().size(); i++) {
      ResolvedSigningKey k = in.signingKeys().get(i);
      if (k.spec().getTemplate() == null) {
        b.addSigningKey(new SigningKey.Plain(k.publicKey()));
      } else {
        b.addSigningKey(
            new SigningKey.Scoped(
                k.publicKey(),
                k.spec().getRole() == null ? k.spec().getName() : k.spec().getRole(),
                SpecConversions.template(
                    k.spec().getTemplate(), "spec.signingKeys[" + i + "].template"),
                k.spec().getDescription()));
      }
    }
    in.exports().forEach(b::addExport);
    in.imports().forEach(b::addImport);
    in.revocations().forEach(b::revoke);
    return b.build();
  }
}
