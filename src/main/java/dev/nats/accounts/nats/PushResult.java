package dev.nats.accounts.nats;

import java.util.List;

/**
 * The replies collected for one resolver request, and how many servers were expected to answer.
 *
 * <p>Every full/cache server answers on its own, so a request can be partly applied: some servers
 * say 200, one says 500, one stays silent. Callers decide with {@link #allAcknowledged()} (safe to
 * report success) versus {@link #acknowledged()} (applied somewhere, nobody objected).
 */
public record PushResult(List<ServerReply> replies, int expected) {

  public PushResult {
    replies = List.copyOf(replies);
    if (expected < 0) {
      throw new IllegalArgumentException("expected must not be negative");
    }
  }

  /** At least one server accepted and none refused. */
  public boolean acknowledged() {
    return !replies.isEmpty() && replies.stream().allMatch(ServerReply::ok);
  }

  /** No server refused and at least {@code expected} servers accepted. */
  public boolean allAcknowledged() {
    return acknowledged() && replies.size() >= expected;
  }

  /** The refusals (and unparseable replies). */
  public List<ServerReply> errors() {
    return replies.stream().filter(r -> !r.ok()).toList();
  }

  /** How many expected servers did not answer before the timeout. */
  public int missing() {
    return Math.max(0, expected - replies.size());
  }
}
