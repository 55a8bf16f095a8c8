package dev.nats.accounts.demo;

import dev.nats.accounts.app.OperatorClients;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A real kube-apiserver and etcd (fabric8 kube-api-test in offline mode) for the demo's {@code
 * --real-api-server} and for the tests that need a real API server.
 *
 * <p>Offline because our machines reach no download site: scripts/lib/ensure-tools.sh builds
 * kube-apiserver, etcd and kubectl from their Go modules and lays them out as {@code
 * <dir>/k8s/<version>-linux-amd64/}. The server runs with RBAC authorization; the kubeconfig it
 * hands out holds a system:masters client certificate.
 */
public final class RealApiServer implements AutoCloseable {
  private final KubeAPIServer server;
  private final String kubeconfig;
  private final Path directory;
  private final java.util.concurrent.atomic.AtomicBoolean stopped =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Stops etcd and kube-apiserver if the JVM exits without {@link #close()} (a failed test,
   * Ctrl-C): kube-api-test registers no hook of its own, and an orphaned etcd outlives the run.
   */
  private final Thread shutdownHook;

  private RealApiServer(KubeAPIServer server, Path directory) {
    this.server = server;
    this.directory = directory;
    this.kubeconfig = server.getKubeConfigYaml();
    this.shutdownHook = new Thread(this::stop, "kube-api-test-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts etcd and kube-apiserver from {@link #directory()}; the version is {@code
   * KUBE_API_TEST_API_SERVER_VERSION} when set, else the newest laid out there.
   */
  public static RealApiServer start(List<String> extraFlags) {
    Path dir = directory();
    if (!Files.isDirectory(dir.resolve("k8s"))) {
      throw new IllegalStateException(
          "no kube-apiserver binaries under "
              + dir.resolve("k8s")
              + ": build them with bash -c '. scripts/lib/ensure-tools.sh && ensure_tools' (./scripts/test does)");
    }
    KubeAPIServerConfigBuilder config =
        KubeAPIServerConfigBuilder.anAPIServerConfig()
            .withTestDir(dir.toString())
            .withOfflineMode(true)
            .withUpdateKubeConfig(false)
            .withStartupTimeout(120_000)
            .withApiServerFlags(extraFlags);
    version().ifPresent(config::withApiServerVersion);
    KubeAPIServer server = new KubeAPIServer(config.build());
    try {
      server.start();
    } catch (RuntimeException e) {
      server.stop(); // etcd may be up while kube-apiserver failed
      throw e;
    }
    RealApiServer started = new RealApiServer(server, dir);
    started.forgetKubectlDiscovery();
    return started;
  }

  /**
   * kube-api-test checks readiness with kubectl, which caches the server's discovery (for ten
   * minutes, under ~/.kube/cache/discovery/HOST_PORT) before our CRDs exist; a user's {@code
   * kubectl get nats} would then read that stale cache and answer "the server doesn't have a
   * resource type nats". The cache of this server is dropped.
   */
  private void forgetKubectlDiscovery() {
    java.net.URI uri = java.net.URI.create(url());
    Path cache =
        Path.of(
            System.getProperty("user.home"),
            ".kube",
            "cache",
            "discovery",
            uri.getHost() + "_" + uri.getPort());
    if (!Files.exists(cache)) {
      return;
    }
    try (var walk = Files.walk(cache)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(
          "cannot drop kubectl's stale discovery cache " + cache, e);
    }
  }

  /** {@code KUBE_API_TEST_DIR}, else where ensure-tools.sh lays the binaries out by default. */
  public static Path directory() {
    String env = System.getenv("KUBE_API_TEST_DIR");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String tools = System.getenv("NAO_TOOLS_DIR");
    Path cache =
        tools != null && !tools.isBlank()
            ? Path.of(tools)
            : Path.of(System.getProperty("user.home"), ".cache", "nats-account-operator", "tools");
    return cache.resolve("kubeapitest");
  }

  static Optional<String> version() {
    String v = System.getenv("KUBE_API_TEST_API_SERVER_VERSION");
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.replaceFirst("^v", ""));
  }

  /**
   * Creates the CRDs and waits until the server serves each (condition Established): a custom
   * resource created before that is refused with 404. The demo, the test extension and the scale
   * benchmark install through here.
   */
  public static void installCrds(
      KubernetesClient client,
      List<io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition> crds) {
    for (var crd : crds) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
    }
    for (var crd : crds) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(crd.getMetadata().getName())
          .waitUntilCondition(
              c ->
                  c != null
                      && c.getStatus() != null
                      && c.getStatus().getConditions().stream()
                          .anyMatch(
                              k ->
                                  "Established".equals(k.getType())
                                      && "True".equals(k.getStatus())),
              60,
              java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /** A kubeconfig (client certificate in group system:masters) for this server. */
  public String kubeconfig() {
    return kubeconfig;
  }

  /**
   * A new admin client, built as the operator builds its own ({@link OperatorClients}): the demo
   * and the tests run the operator with it. The caller closes it.
   */
  public KubernetesClient adminClient() {
    return OperatorClients.build(Config.fromKubeconfig(kubeconfig));
  }

  /** The server's https URL. */
  public String url() {
    return Config.fromKubeconfig(kubeconfig).getMasterUrl();
  }

  public Path binaryDirectory() {
    return directory;
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook runs (or ran) stop(), which is idempotent
    }
  }

  private void stop() {
    if (stopped.compareAndSet(false, true)) {
      server.stop();
    }
  }
}
