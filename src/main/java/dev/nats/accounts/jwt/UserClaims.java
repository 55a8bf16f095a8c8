package dev.nats.accounts.jwt;

import java.util.List;

/**
 * User JWT body, signed by the account identity key or one of its signing keys.
 *
 * @param issuerAccount the account identity key; required when a signing key signs, null otherwise
 * @param perms {@link UserPermissionLimits#EMPTY} when a scoped signing key signs
 * @param expires unix seconds, null = never
 */
public record UserClaims(
    String name,
    String subject,
    String issuerAccount,
    UserPermissionLimits perms,
    List<String> tags,
    Long expires) {
  public UserClaims {
    issuerAccount = Lists.blankToNull(issuerAccount);
    perms = perms == null ? UserPermissionLimits.EMPTY : perms;
    tags = Lists.copy(tags);
  }

  public static UserClaims of(String name, String subject, UserPermissionLimits perms) {
    return new UserClaims(name, subject, null, perms, null, null);
  }

  public UserClaims withIssuerAccount(String v) {
    return new UserClaims(name, subject, v, perms, tags, expires);
  }

  public UserClaims withExpires(Long v) {
    return new UserClaims(name, subject, issuerAccount, perms, tags, v);
  }

  public UserClaims withTags(List<String> v) {
    return new UserClaims(name, subject, issuerAccount, perms, v, expires);
  }
}
