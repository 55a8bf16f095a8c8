package dev.nats.accounts.testing;

import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.ActivationClaims;
import dev.nats.accounts.jwt.Creds;
import dev.nats.accounts.jwt.ExportType;
import dev.nats.accounts.jwt.IssuedAt;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.jwt.UserClaims;
import dev.nats.accounts.jwt.UserPermissionLimits;

/**
 * An account issued by a {@link TestOperator}: identity key, one plain account signing key, the
 * claims and the signed JWT. Immutable; {@link TestOperator#update} returns a re-signed copy with a
 * larger iat.
 *
 * <p>The operator runs in strict signing mode, so users and activations are signed by the account
 * signing key with {@code issuer_account} set, never by the identity key.
 */
public record TestAccount(
    KeyPair identity, KeyPair signingKey, AccountClaims claims, String jwt, long iat) {

  public String pub() {
    return identity.publicKey();
  }

  public String name() {
    return claims.name();
  }

  /** A user without restrictions. */
  public String userCreds(String userName) {
    return userCreds(userName, UserPermissionLimits.UNLIMITED);
  }

  /** A user with the given permissions, signed by the account's plain signing key. */
  public String userCreds(String userName, UserPermissionLimits perms) {
    return userCreds(userName, signingKey, perms);
  }

  /**
   * A user signed by {@code signer} (the plain signing key or one of the account's scoped keys; a
   * scoped key needs {@link UserPermissionLimits#EMPTY}).
   */
  public String userCreds(String userName, KeyPair signer, UserPermissionLimits perms) {
    KeyPair user = KeyPair.create(KeyType.USER);
    UserClaims claims = UserClaims.of(userName, user.publicKey(), perms).withIssuerAccount(pub());
    String jwt = JwtEncoder.encode(claims, signer, IssuedAt.next(0));
    return Creds.format(jwt, user.seed());
  }

  /**
   * An activation token granting {@code importer} the service subject {@code subject} of a private
   * export.
   */
  public String serviceActivation(String importer, String subject) {
    ActivationClaims act =
        new ActivationClaims(subject, importer, subject, ExportType.SERVICE, pub(), null);
    return JwtEncoder.encode(act, signingKey, IssuedAt.next(0));
  }

  /** Keys stay out of logs: only names and public keys. */
  @Override
  public String toString() {
    return "TestAccount[" + claims.name() + " " + pub() + ", iat=" + iat + "]";
  }
}
