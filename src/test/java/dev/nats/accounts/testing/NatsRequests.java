package dev.nats.accounts.testing;

import io.nats.client.Connection;
import io.nats.client.JetStreamStatusException;
import io.nats.client.Message;
import io.nats.client.support.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request, classified. Tests must tell "nobody serves this subject for me" (no responders: the
 * import is gone or was never granted) from "something is slow" (timeout), so both are distinct
 * outcomes. Needs a connection built with {@code Options.Builder.reportNoResponders()}.
 */
public final class NatsRequests {

  public enum Kind {
    REPLY,
    NO_RESPONDERS,
    TIMEOUT
  }

  public record Outcome(Kind kind, String reply) {
    public static Outcome reply(String text) {
      return new Outcome(Kind.REPLY, text);
    }

    public static final Outcome NO_RESPONDERS = new Outcome(Kind.NO_RESPONDERS, null);
    public static final Outcome TIMEOUT = new Outcome(Kind.TIMEOUT, null);
  }

  private NatsRequests() {}

  public static Outcome request(Connection c, String subject, String body)
      throws InterruptedException {
    return request(c, subject, body, Duration.ofSeconds(5));
  }

  public static Outcome request(Connection c, String subject, String body, Duration timeout)
      throws InterruptedException {
    try {
      Message m =
          c.requestWithTimeout(subject, body.getBytes(StandardCharsets.UTF_8), timeout)
              .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      return Outcome.reply(new String(m.getData(), StandardCharsets.UTF_8));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof JetStreamStatusException s
          && s.getStatus().getCode() == Status.NO_RESPONDERS_CODE) {
        return Outcome.NO_RESPONDERS;
      }
      if (e.getCause() instanceof TimeoutException
          || e.getCause() instanceof java.util.concurrent.CancellationException) {
        return Outcome.TIMEOUT;
      }
      throw new AssertionError("request on " + subject + " failed unexpectedly", e.getCause());
    } catch (TimeoutException | java.util.concurrent.CancellationException e) {
      return Outcome.TIMEOUT;
    }
  }
}
