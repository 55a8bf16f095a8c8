package dev.nats.accounts.jwt;

/**
 * An entry of an account's {@code signing_keys}: a bare key (JSON string) or a user scope (JSON
 * object whose template replaces whatever permissions the users it signs would carry).
 */
public sealed interface SigningKey permits SigningKey.Plain, SigningKey.Scoped {
  String key();

  record Plain(String key) implements SigningKey {}

  /**
   * @param description written, but only read by jwt >= 2.5.8
   */
  record Scoped(String key, String role, UserPermissionLimits template, String description)
      implements SigningKey {
    public Scoped {
      template = template == null ? UserPermissionLimits.UNLIMITED : template;
    }
  }

  static SigningKey plain(String key) {
    return new Plain(key);
  }
}
