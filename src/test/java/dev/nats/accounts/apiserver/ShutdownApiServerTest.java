package dev.nats.accounts.apiserver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.OperatorSpec;
import dev.nats.accounts.api.v1alpha1.ResolverSpec;
import dev.nats.accounts.api.v1alpha1.ResolverType;
import dev.nats.accounts.app.OperatorSettings;
import dev.nats.accounts.nats.NatsServerProcess;
import dev.nats.accounts.reconciler.Fixtures;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.testing.ApiServerExtension;
import dev.nats.accounts.testing.ChildJvm;
import dev.nats.accounts.testing.Signals;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to {@code run} as the kubelet sends it, on a real API server with leader election: a
 * reconcile that is in the middle of a push (nats-server paused with SIGSTOP) when the signal
 * arrives finishes and writes its status; then the Lease is released, the NATS connection closed,
 * and the process exits 0, within SHUTDOWN_TIMEOUT.
 */
@Tag("apiserver")
class ShutdownApiServerTest {
  @RegisterExtension static final ApiServerExtension API = new ApiServerExtension();
  static final String NS = "nats-account-operator";
  static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(15);
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void sigtermLetsTheInFlightReconcileFinishReleasesTheLeaseAndExitsZero() throws Exception {
    KubernetesClient admin = API.client();
    API.namespaces(NS, "nats", "tenant-a");
    Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), API.server().kubeconfig());
    int metricsPort = freePort();
    int natsPort = freePort();
    int monitorPort = freePort();
    NatsServerProcess nats = null;
    try (ChildJvm jvm =
        ChildJvm.start(
            Map.of(
                "HOME",
                dir.toString(),
                "KUBECONFIG",
                kubeconfig.toString(),
                "LEADER_ELECTION_NAMESPACE",
                NS,
                "METRICS_PORT",
                Integer.toString(metricsPort),
                "LOG_FORMAT",
                "json",
                "PUSH_TIMEOUT",
                "10s",
                "SHUTDOWN_TIMEOUT",
                SHUTDOWN_TIMEOUT.toSeconds() + "s"),
            dir,
            "run")) {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> readyz(metricsPort), r -> r.startsWith("ready: leading"));

      Operator op = new Operator();
      op.setMetadata(new ObjectMetaBuilder().withName("main").withNamespace("nats").build());
      OperatorSpec spec = new OperatorSpec();
      spec.setServers(List.of("nats://127.0.0.1:" + natsPort));
      ResolverSpec resolver = new ResolverSpec();
      resolver.setType(ResolverType.FULL);
      resolver.setDir(dir.resolve("jwt").toString());
      resolver.setAllowDelete(true);
      spec.setResolver(resolver);
      op.setSpec(spec);
      admin.resource(op).create();
      ConfigMap conf =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () ->
                      admin
                          .configMaps()
                          .inNamespace("nats")
                          .withName(Names.serverConfig("main"))
                          .get(),
                  c -> c != null && c.getData().containsKey("resolver.conf"));
      Path serverDir = Files.createDirectories(dir.resolve("nats"));
      Files.writeString(serverDir.resolve("resolver.conf"), conf.getData().get("resolver.conf"));
      nats =
          NatsServerProcess.builder(serverDir)
              .port(natsPort)
              .config("include resolver.conf\nhttp: \"127.0.0.1:" + monitorPort + "\"\n")
              .start();
      admin.resource(Fixtures.account("tenant-a", "a")).create();
      await().atMost(Duration.ofSeconds(60)).until(() -> generationDone(admin, 1));
      assertTrue(connections(monitorPort) >= 1, "the operator is connected to nats-server");

      // Hold the next push in flight: the server stops answering, the reconcile waits for its
      // reply.
      Signals.send("STOP", nats.pid());
      admin
          .resources(Account.class)
          .inNamespace("tenant-a")
          .withName("a")
          .edit(
              a -> {
                a.getSpec().setDisplayName("A, renamed");
                return a;
              });
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  line(
                          jvm,
                          n ->
                              n.path("message")
                                      .asText()
                                      .startsWith("account tenant-a/a: signed JWT")
                                  && n.path("resource.generation").asText().equals("2"))
                      .isPresent());
      long signalledAt = System.nanoTime();
      jvm.terminate();
      Thread.sleep(1_500);
      Signals.send("CONT", nats.pid()); // the reply arrives while the process is stopping

      int code = jvm.waitFor(SHUTDOWN_TIMEOUT.plusSeconds(10));
      Duration took = Duration.ofNanos(System.nanoTime() - signalledAt);
      Files.createDirectories(Path.of("target", "log-samples"));
      Files.write(Path.of("target", "log-samples", "shutdown.jsonl"), jvm.stdout());
      assertEquals(0, code, "stderr: " + jvm.stderr());
      assertTrue(took.compareTo(SHUTDOWN_TIMEOUT) < 0, "stopped in " + took);
      assertEquals(List.of(), jvm.stderr());

      List<String> messages = new ArrayList<>();
      for (String l : jvm.stdout()) {
        messages.add(JSON.readTree(l).path("message").asText());
      }
      int term = messages.indexOf("SIGTERM received: stopping");
      int pushed = indexOf(messages, "account tenant-a/a: pushed to 1/1 servers", term);
      int released = messages.indexOf("released Lease " + NS + "/" + OperatorSettings.LEASE_NAME);
      int closed = messages.indexOf("stopped: NATS connections closed");
      int clean = messages.indexOf("stopped cleanly");
      assertTrue(
          term >= 0 && term < pushed && pushed < released && released < closed && closed < clean,
          "SIGTERM, then the in-flight push finished, the Lease released, NATS closed: "
              + messages.subList(Math.max(0, term), messages.size()));
      assertTrue(
          generationDone(admin, 2), "the in-flight reconcile wrote its status after the signal");

      Lease lease = admin.leases().inNamespace(NS).withName(OperatorSettings.LEASE_NAME).get();
      String holder = lease.getSpec().getHolderIdentity();
      assertTrue(holder == null || holder.isEmpty(), "released, held by: " + holder);
      assertEquals(0, connections(monitorPort), "no connection left on nats-server");
    } finally {
      if (nats != null) {
        Signals.send("CONT", nats.pid());
        nats.close();
      }
    }
  }

  private static boolean generationDone(KubernetesClient admin, long generation) {
    Account a = admin.resources(Account.class).inNamespace("tenant-a").withName("a").get();
    return a != null
        && a.getStatus() != null
        && a.getStatus().getObservedGeneration() != null
        && a.getStatus().getObservedGeneration() == generation
        && a.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  private static int indexOf(List<String> messages, String prefix, int after) {
    for (int i = Math.max(0, after); i < messages.size(); i++) {
      if (messages.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  private static Optional<JsonNode> line(
      ChildJvm jvm, java.util.function.Predicate<JsonNode> match) {
    for (String l : jvm.stdout()) {
      try {
        JsonNode n = JSON.readTree(l);
        if (match.test(n)) {
          return Optional.of(n);
        }
      } catch (IOException e) {
        throw new AssertionError("not a JSON line: " + l, e);
      }
    }
    return Optional.empty();
  }

  private static String readyz(int port) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return "no answer: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static int connections(int monitorPort) throws Exception {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitorPort + "/connz"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return JSON.readTree(body).path("num_connections").asInt(-1);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
