package dev.nats.accounts.app;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** /metrics (Prometheus text), /healthz (liveness) and /readyz (informers synced). JDK server: no extra deps. */
final class HealthServer {
  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  static HealthServer start(int port, PrometheusMeterRegistry registry, OperatorApp app) {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress(port), 0);
      s.createContext("/metrics", ex -> respond(ex, 200, registry.scrape()));
      s.createContext("/healthz", ex -> respond(ex, 200, "ok"));
      s.createContext("/readyz", ex -> respond(ex, app.isReady() ? 200 : 503, app.isReady() ? "ok" : "starting"));
      s.start();
      return new HealthServer(s);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind metrics port " + port, e);
    }
  }

  private static void respond(com.sun.net.httpserver.HttpExchange ex, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  void stop() {
    server.stop(0);
  }
}
