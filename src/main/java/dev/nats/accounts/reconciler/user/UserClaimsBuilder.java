package dev.nats.accounts.reconciler.user;

import dev.nats.accounts.api.v1alpha1.UserSpec;
import dev.nats.accounts.jwt.UserClaims;
import dev.nats.accounts.jwt.UserPermissionLimits;
import dev.nats.accounts.reconciler.SpecConversions;

/**
 * Desired user claims. A user signed by a scoped key must carry no permissions or limits at all
 * (the server refuses it otherwise), so the template is the whole truth for such users.
 */
public final class UserClaimsBuilder {
  private UserClaimsBuilder() {}

  public static UserClaims build(
      String resourceName, UserSpec spec, String userKey, String accountKey, boolean scoped) {
    String name = spec.getDisplayName() == null ? resourceName : spec.getDisplayName();
    UserPermissionLimits perms = scoped ? UserPermissionLimits.EMPTY : SpecConversions.user(spec);
    return UserClaims.of(name, userKey, perms).withIssuerAccount(accountKey);
  }
}
