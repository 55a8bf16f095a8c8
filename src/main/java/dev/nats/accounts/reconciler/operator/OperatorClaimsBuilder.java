package dev.nats.accounts.reconciler.operator;

import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.AccountLimits;
import dev.nats.accounts.jwt.OperatorClaims;
import dev.nats.accounts.jwt.Permission;
import dev.nats.accounts.jwt.Permissions;
import dev.nats.accounts.jwt.UserClaims;
import dev.nats.accounts.jwt.UserPermissionLimits;
import dev.nats.accounts.reconciler.Names;
import java.util.List;

/**
 * Desired claims of the trust root. Strict signing-key usage is always on: the identity keys then
 * only sign the operator JWT, so they could be kept offline, and a leaked signing key can be
 * rotated without changing any identity.
 */
public final class OperatorClaimsBuilder {
  private OperatorClaimsBuilder() {}

  public static OperatorClaims operator(
      String displayName, String identity, List<String> signingKeys, String systemAccount) {
    return OperatorClaims.of(displayName, identity)
        .withSigningKeys(signingKeys)
        .withSystemAccount(systemAccount)
        .withStrictSigningKeyUsage(true);
  }

  /** The system account: unlimited, with one signing key for its system user. */
  public static AccountClaims systemAccount(String publicKey, String signingKey) {
    return AccountClaims.builder(Names.SYSTEM_ACCOUNT_NAME, publicKey)
        .limits(AccountLimits.UNLIMITED)
        .addSigningKey(signingKey)
        .description("NATS system account, managed by nats-account-operator")
        .build();
  }

  /** The system user the operator pushes with: it needs the $SYS request subjects and its inbox. */
  public static UserClaims systemUser(String operatorName, String userKey, String systemAccount) {
    Permissions perms =
        new Permissions(
            new Permission(List.of("$SYS.REQ.>"), List.of()),
            new Permission(List.of("_INBOX.>"), List.of()),
            null);
    return UserClaims.of(
            operatorName + "-system",
            userKey,
            UserPermissionLimits.UNLIMITED.withPermissions(perms))
        .withIssuerAccount(systemAccount);
  }
}
