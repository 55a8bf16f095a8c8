package dev.nats.accounts.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One NATS identity belongs to at most one resource: two Accounts (or Operators) holding the same
 * seed, adopted twice from a backup or from nsc, would sign two JWTs for one key and overwrite each
 * other on the resolvers. The resource that published the identity first keeps it; any other
 * claimant is refused ({@code IdentityInUse}) and signs and pushes nothing, until the holder is
 * gone.
 */
public final class IdentityClaims {
  private IdentityClaims() {}

  /** Who publishes an identity: the resource, and whether its status already names the key. */
  public record Claim(HasMetadata resource, boolean published) {}

  /**
   * First published, then the older resource, then by namespace and name: every replica decides
   * alike.
   */
  static final Comparator<Claim> PRECEDENCE =
      Comparator.comparing((Claim c) -> !c.published())
          .thenComparing(c -> String.valueOf(c.resource().getMetadata().getCreationTimestamp()))
          .thenComparing(
              c ->
                  c.resource().getMetadata().getNamespace()
                      + "/"
                      + c.resource().getMetadata().getName());

  /**
   * The resource that holds the identity instead of {@code self}, if any.
   *
   * @param self the claimant being reconciled
   * @param others the other resources whose status publishes the same identity (self left out)
   */
  public static Optional<HasMetadata> holderOtherThan(
      Claim self, List<? extends HasMetadata> others) {
    String uid = self.resource().getMetadata().getUid();
    return others.stream()
        .filter(o -> uid == null || !uid.equals(o.getMetadata().getUid()))
        .map(o -> new Claim(o, true))
        .filter(o -> PRECEDENCE.compare(o, self) < 0)
        .min(PRECEDENCE)
        .map(Claim::resource);
  }
}
