package dev.nats.accounts.nats;

/**
 * A nats-server child process could not be found, started or made ready. The message carries the
 * server's log tail when there is one, because that is usually the only useful diagnosis.
 */
public class NatsServerException extends RuntimeException {

  public NatsServerException(String message) {
    super(message);
  }

  public NatsServerException(String message, Throwable cause) {
    super(message, cause);
  }
}
