package dev.nats.accounts.jwt;

import java.util.List;

/** Allow/deny subject lists; sub entries may carry a queue as {@code "subject queue"}. */
public record Permission(List<String> allow, List<String> deny) {
  public static final Permission NONE = new Permission(List.of(), List.of());

  public Permission {
    allow = Lists.copy(allow);
    deny = Lists.copy(deny);
  }

  public boolean isEmpty() {
    return allow.isEmpty() && deny.isEmpty();
  }
}
