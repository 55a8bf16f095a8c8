package dev.nats.accounts.nats;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Connects as the system-account user, the only identity allowed to talk to the resolver.
 *
 * <p>The connection reconnects forever: the operator outlives server restarts and rolling upgrades,
 * and a push that fails meanwhile is retried by the reconciler. No-responders are reported
 * explicitly so that "no resolver is listening" is distinguishable from "a resolver is slow".
 */
public final class SystemConnection {

  private SystemConnection() {}

  /**
   * Options for the system user; {@code errorListener} may be null. The creds text is never logged.
   */
  public static Options options(
      List<String> urls, String credsText, String connectionName, ErrorListener errorListener) {
    return builder(urls, credsText, connectionName, errorListener).build();
  }

  /**
   * The same options as {@link #options}, still open for additions such as a connection listener.
   */
  public static Options.Builder builder(
      List<String> urls, String credsText, String connectionName, ErrorListener errorListener) {
    Objects.requireNonNull(credsText, "credsText");
    if (urls == null || urls.isEmpty()) {
      throw new IllegalArgumentException("at least one server URL is needed");
    }
    Options.Builder b =
        Options.builder()
            .servers(urls.toArray(String[]::new))
            .authHandler(Nats.staticCredentials(credsText.getBytes(StandardCharsets.UTF_8)))
            .connectionName(connectionName)
            .maxReconnects(-1)
            .reconnectWait(Duration.ofSeconds(1))
            .connectionTimeout(Duration.ofSeconds(5))
            .reportNoResponders();
    if (errorListener != null) {
      b.errorListener(errorListener);
    }
    return b;
  }

  public static Connection connect(List<String> urls, String credsText, String connectionName)
      throws IOException, InterruptedException {
    return Nats.connect(options(urls, credsText, connectionName, null));
  }
}
