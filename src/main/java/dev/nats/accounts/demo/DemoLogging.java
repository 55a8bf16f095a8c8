package dev.nats.accounts.demo;

import ch.qos.logback.classic.Level;
import dev.nats.accounts.logging.LogFormat;
import dev.nats.accounts.logging.Logging;
import java.util.Map;

/**
 * Keeps the demo's terminal readable: its own progress lines on stdout, and only warnings and
 * errors of the libraries, as text on stderr. The mock API logs every request, and JOSDK and
 * fabric8 log their start-up at INFO; in the demo that is noise, while the operator process keeps
 * its INFO logs.
 */
public final class DemoLogging {
  private DemoLogging() {}

  public static void quiet() {
    Logging.configure(
        LogFormat.TEXT,
        Level.WARN,
        System.err,
        Map.of(
            // The mock API runs in this process on vert.x, so a request it cannot apply (e.g. a
            // JSON patch built from a stale cache, which a real API server answers with 422) is
            // logged here as an ERROR with a 60-line trace. The client gets the error response and
            // the operator retries, as against a real API server, whose logs the user would not see
            // either.
            "io.vertx", Level.OFF,
            "io.fabric8.mockwebserver", Level.WARN,
            // jnats reports every failed connect attempt at SEVERE. The operator is started before
            // its nats-server (the server's config comes from the operator), so its first attempts
            // are refused by design; the Operator's status (Ready=False, NotConnected) already says
            // so in the progress lines.
            "io.nats.client.impl.ErrorListenerLoggerImpl", Level.OFF));
  }
}
