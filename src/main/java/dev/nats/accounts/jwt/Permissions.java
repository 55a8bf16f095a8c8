package dev.nats.accounts.jwt;

/** Publish/subscribe/response permissions; null parts are omitted. */
public record Permissions(Permission pub, Permission sub, ResponsePermission resp) {
  public Permissions {
    pub = pub == null ? Permission.NONE : pub;
    sub = sub == null ? Permission.NONE : sub;
  }

  public boolean isEmpty() {
    return pub.isEmpty() && sub.isEmpty() && resp == null;
  }
}
