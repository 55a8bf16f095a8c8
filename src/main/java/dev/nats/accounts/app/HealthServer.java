package dev.nats.accounts.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * /metrics (Prometheus text), /healthz and /readyz, on the JDK's HTTP server (no extra dependency).
 *
 * <ul>
 *   <li>/healthz (liveness): 200 while the process runs and serves HTTP. It deliberately does not
 *       depend on the API server or NATS: when either is down, restarting every replica would not
 *       bring it back, and the kubelet would do exactly that.
 *   <li>/readyz (readiness): see {@link OperatorApp#readiness()}; 503 with the reason otherwise.
 * </ul>
 */
final class HealthServer {
  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  static HealthServer start(
      int port, PrometheusMeterRegistry registry, Supplier<OperatorApp.Readiness> readiness) {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress(port), 0);
      s.createContext("/metrics", ex -> respond(ex, 200, registry.scrape()));
      s.createContext("/healthz", ex -> respond(ex, 200, "ok\n"));
      s.createContext(
          "/readyz",
          ex -> {
            OperatorApp.Readiness r = readiness.get();
            respond(
                ex,
                r.ready() ? 200 : 503,
                (r.ready() ? "ready: " : "not ready: ") + r.detail() + "\n");
          });
      s.start();
      return new HealthServer(s);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind metrics port " + port, e);
    }
  }

  private static void respond(HttpExchange ex, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  void stop() {
    server.stop(0);
  }
}
