package dev.nats.accounts.demo;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the demo's terminal readable: its own progress lines, plus warnings and errors. The mock API
 * logs every request through java.util.logging and JOSDK and fabric8 log their start-up at INFO
 * through slf4j-simple; in the demo that is noise, while the operator process keeps its INFO logs.
 * Must run before any slf4j logger exists, because slf4j-simple reads its settings once.
 */
public final class DemoLogging {
  /** java.util.logging keeps loggers weakly: without these references the levels could be forgotten. */
  private static final List<Logger> QUIETED = new java.util.ArrayList<>();

  private DemoLogging() {}

  public static synchronized void quiet() {
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    // "The client is using resource type ... with unstable version 'v1alpha1'": our API is v1alpha1 on purpose.
    setIfAbsent("org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils", "error");
    // The mock API runs in this process on vert.x, so a request it cannot apply (e.g. a JSON patch built
    // from a stale cache, which a real API server answers with 422) is logged here as an ERROR with a
    // 60-line trace. The client gets the error response and the operator retries, as against a real
    // API server, whose logs the user would not see either.
    setIfAbsent("org.slf4j.simpleLogger.log.io.vertx", "off");
    quiet("io.fabric8.mockwebserver", Level.WARNING);
    // jnats reports every failed connect attempt at SEVERE. The operator is started before its
    // nats-server (the server's config comes from the operator), so its first attempts are refused by
    // design; the Operator's status (Ready=False, NotConnected) already says so in the progress lines.
    quiet("io.nats.client.impl.ErrorListenerLoggerImpl", Level.OFF);
  }

  private static void quiet(String name, Level level) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(level);
    QUIETED.add(logger);
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }
}
