package dev.nats.accounts.jwt;

import java.util.List;

/**
 * What a user may do: the body of a user JWT and the template of a scoped signing key.
 *
 * @param limits null is read as {@link UserLimits#NONE}
 */
public record UserPermissionLimits(
    Permissions permissions,
    List<String> sourceNetworks,
    List<TimeRange> times,
    String locale,
    UserLimits limits,
    boolean bearerToken,
    List<String> allowedConnectionTypes) {
  /**
   * Entirely empty: what a user signed by a scoped key must carry (the template supplies
   * everything).
   */
  public static final UserPermissionLimits EMPTY =
      new UserPermissionLimits(null, null, null, null, UserLimits.NONE, false, null);

  /**
   * No permissions, unlimited subs/data/payload: a plain user or a template without restrictions.
   */
  public static final UserPermissionLimits UNLIMITED =
      new UserPermissionLimits(null, null, null, null, UserLimits.UNLIMITED, false, null);

  public UserPermissionLimits {
    sourceNetworks = Lists.copy(sourceNetworks);
    times = Lists.copy(times);
    limits = limits == null ? UserLimits.NONE : limits;
    allowedConnectionTypes = Lists.copy(allowedConnectionTypes);
    locale = Lists.blankToNull(locale);
    if (permissions != null && permissions.isEmpty()) {
      permissions = null;
    }
  }

  public static UserPermissionLimits of(Permissions permissions) {
    return UNLIMITED.withPermissions(permissions);
  }

  public UserPermissionLimits withPermissions(Permissions v) {
    return new UserPermissionLimits(
        v, sourceNetworks, times, locale, limits, bearerToken, allowedConnectionTypes);
  }

  public UserPermissionLimits withLimits(UserLimits v) {
    return new UserPermissionLimits(
        permissions, sourceNetworks, times, locale, v, bearerToken, allowedConnectionTypes);
  }

  public UserPermissionLimits withSourceNetworks(List<String> v) {
    return new UserPermissionLimits(
        permissions, v, times, locale, limits, bearerToken, allowedConnectionTypes);
  }

  public UserPermissionLimits withTimes(List<TimeRange> v, String locale) {
    return new UserPermissionLimits(
        permissions, sourceNetworks, v, locale, limits, bearerToken, allowedConnectionTypes);
  }

  public UserPermissionLimits withBearerToken(boolean v) {
    return new UserPermissionLimits(
        permissions, sourceNetworks, times, locale, limits, v, allowedConnectionTypes);
  }

  public UserPermissionLimits withAllowedConnectionTypes(List<String> v) {
    return new UserPermissionLimits(
        permissions, sourceNetworks, times, locale, limits, bearerToken, v);
  }

  /** True when nothing at all is set (Go's zero value). */
  public boolean isEmpty() {
    return equals(EMPTY);
  }
}
