package dev.nats.accounts.testing;

import static org.awaitility.Awaitility.await;

import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.OperatorSpec;
import dev.nats.accounts.api.v1alpha1.ResolverSpec;
import dev.nats.accounts.api.v1alpha1.ResolverType;
import dev.nats.accounts.app.OperatorApp;
import dev.nats.accounts.app.OperatorSettings;
import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.nats.NatsServerProcess;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The whole product on one machine, as the tests use it: the CRUD mock API with our CRDs, the real
 * operator (unchanged, JOSDK), and a real nats-server started from the ConfigMap the operator
 * wrote.
 */
public final class OperatorHarness implements AutoCloseable {
  public static final String OPERATOR_NS = "nats";
  public static final String OPERATOR_NAME = "main";
  public static final Duration WAIT = Duration.ofSeconds(60);

  private final KubernetesClient client;

  /** The client the operator runs with: the admin client, or one holding only the shipped RBAC. */
  private KubernetesClient operatorClient;

  private final Path dir;

  /** Client ports of the nats-servers; one unless started as a cluster. */
  private final List<Integer> ports;

  /** Route ports of the cluster's servers; empty for a single server. */
  private final List<Integer> routePorts;

  private OperatorApp app;
  private OperatorMetrics metrics;
  private final NatsServerProcess[] servers;

  private final OperatorSettings settings;

  /** The nats-server to run; null: {@link NatsServerProcess#findBinary()} (the current one). */
  private Path natsBinary;

  /** Whether the servers run JetStream (each with its own store directory). */
  private boolean jetStream;

  private OperatorHarness(
      KubernetesClient client,
      Path dir,
      List<Integer> ports,
      List<Integer> routePorts,
      OperatorSettings settings) {
    this.client = client;
    this.operatorClient = client;
    this.dir = dir;
    this.ports = List.copyOf(ports);
    this.routePorts = List.copyOf(routePorts);
    this.servers = new NatsServerProcess[ports.size()];
    this.settings = settings;
  }

  /**
   * Registers the CRDs, starts the operator, applies Operator nats/main and starts its nats-server.
   */
  public static OperatorHarness start(KubernetesClient client, Path dir) throws IOException {
    return start(client, dir, OperatorSettings.forTests());
  }

  public static OperatorHarness start(KubernetesClient client, Path dir, OperatorSettings settings)
      throws IOException {
    return start(client, dir, settings, ResolverType.FULL);
  }

  public static OperatorHarness start(
      KubernetesClient client, Path dir, OperatorSettings settings, ResolverType type)
      throws IOException {
    return start(client, dir, settings, type, null);
  }

  /**
   * As {@link #start(KubernetesClient, Path)}, on the given nats-server binary (e.g. Debian's
   * 2.9.10).
   */
  public static OperatorHarness startOn(KubernetesClient client, Path dir, Path natsBinary)
      throws IOException {
    return start(
        client,
        dir,
        OperatorSettings.forTests(),
        ResolverType.FULL,
        natsBinary,
        client,
        spec -> {});
  }

  /**
   * As {@link #start(KubernetesClient, Path)}, with {@code customize} applied to the spec of
   * Operator nats/main before it is created: e.g. {@code spec.identitySecretRef} to adopt an
   * existing operator identity (create its Secret in namespace nats first).
   */
  public static OperatorHarness startWith(
      KubernetesClient client, Path dir, Consumer<OperatorSpec> customize) throws IOException {
    return start(
        client, dir, OperatorSettings.forTests(), ResolverType.FULL, null, client, customize);
  }

  /**
   * As {@link #start(KubernetesClient, Path)}, but the operator runs with {@code operatorClient}
   * (e.g. a ServiceAccount token bound only to the shipped roles) while the test acts through the
   * admin {@code client}.
   */
  public static OperatorHarness startAs(
      KubernetesClient client, KubernetesClient operatorClient, Path dir, OperatorSettings settings)
      throws IOException {
    return start(client, dir, settings, ResolverType.FULL, null, operatorClient, spec -> {});
  }

  private static OperatorHarness start(
      KubernetesClient client,
      Path dir,
      OperatorSettings settings,
      ResolverType type,
      Path natsBinary)
      throws IOException {
    return start(client, dir, settings, type, natsBinary, client, spec -> {});
  }

  /**
   * As {@link #start(KubernetesClient, Path)}, with {@code size} nats-servers joined by routes into
   * one cluster, each with its own full resolver directory, and every one of them in the Operator's
   * {@code spec.servers}, as a three-replica NATS StatefulSet would be.
   */
  public static OperatorHarness startCluster(KubernetesClient client, Path dir, int size)
      throws IOException {
    List<Integer> ports = new java.util.ArrayList<>();
    List<Integer> routes = new java.util.ArrayList<>();
    for (int i = 0; i < size; i++) {
      ports.add(freePort());
      routes.add(freePort());
    }
    return start(
        client,
        dir,
        OperatorSettings.forTests(),
        ResolverType.FULL,
        null,
        client,
        spec -> {},
        ports,
        routes,
        false);
  }

  /**
   * As {@link #start(KubernetesClient, Path)}, with JetStream enabled on the nats-server: the
   * operator's {@code resolver.conf} does not configure JetStream (the NATS deployment does), so
   * the harness adds a {@code jetstream} block the way a NATS Helm chart would.
   */
  public static OperatorHarness startWithJetStream(KubernetesClient client, Path dir)
      throws IOException {
    return start(
        client,
        dir,
        OperatorSettings.forTests(),
        ResolverType.FULL,
        null,
        client,
        spec -> {},
        List.of(freePort()),
        List.of(),
        true);
  }

  private static OperatorHarness start(
      KubernetesClient client,
      Path dir,
      OperatorSettings settings,
      ResolverType type,
      Path natsBinary,
      KubernetesClient operatorClient,
      Consumer<OperatorSpec> customize)
      throws IOException {
    return start(
        client,
        dir,
        settings,
        type,
        natsBinary,
        operatorClient,
        customize,
        List.of(freePort()),
        List.of(),
        false);
  }

  private static OperatorHarness start(
      KubernetesClient client,
      Path dir,
      OperatorSettings settings,
      ResolverType type,
      Path natsBinary,
      KubernetesClient operatorClient,
      Consumer<OperatorSpec> customize,
      List<Integer> ports,
      List<Integer> routePorts,
      boolean jetStream)
      throws IOException {
    Crds.register(client);
    OperatorHarness h = new OperatorHarness(client, dir, ports, routePorts, settings);
    h.natsBinary = natsBinary;
    h.jetStream = jetStream;
    h.operatorClient = operatorClient;
    h.startOperator();
    Operator op = new Operator();
    op.setMetadata(
        new ObjectMetaBuilder().withName(OPERATOR_NAME).withNamespace(OPERATOR_NS).build());
    OperatorSpec spec = new OperatorSpec();
    spec.setServers(h.urls());
    ResolverSpec resolver = new ResolverSpec();
    resolver.setType(type);
    if (type != ResolverType.MEMORY) {
      resolver.setDir(dir.resolve("jwt").toString());
    }
    if (type == ResolverType.FULL) {
      resolver.setAllowDelete(true);
    }
    spec.setResolver(resolver);
    customize.accept(spec);
    op.setSpec(spec);
    client.resource(op).create();
    await()
        .atMost(WAIT)
        .until(
            () ->
                client
                    .configMaps()
                    .inNamespace(OPERATOR_NS)
                    .withName(Names.serverConfig(OPERATOR_NAME))
                    .get(),
            c -> c != null && c.getData() != null && c.getData().containsKey("resolver.conf"));
    for (int i = 0; i < ports.size(); i++) {
      h.startNats(i);
    }
    h.awaitReady(Operator.class, OPERATOR_NS, OPERATOR_NAME);
    return h;
  }

  /** The current resolver.conf of Operator nats/main. */
  public String resolverConf() {
    return client
        .configMaps()
        .inNamespace(OPERATOR_NS)
        .withName(Names.serverConfig(OPERATOR_NAME))
        .get()
        .getData()
        .get("resolver.conf");
  }

  /**
   * Starts server {@code i} from the ConfigMap as it is now. In a cluster each server gets its own
   * resolver directory ({@code jwt-<i>}, the ConfigMap's dir with the index appended) and routes to
   * every other server.
   */
  public void startNats(int i) throws IOException {
    Path serverDir = dir.resolve(ports.size() == 1 ? "nats" : "nats-" + i);
    Files.createDirectories(serverDir);
    String conf = resolverConf();
    StringBuilder extra = new StringBuilder("include resolver.conf\n");
    if (!routePorts.isEmpty()) {
      conf = conf.replace(jwtDir().toString(), resolverDir(i).toString());
      extra.append("server_name: s").append(i).append('\n');
      extra.append("cluster {\n  name: harness\n  listen: 127.0.0.1:");
      extra.append(routePorts.get(i)).append("\n  routes: [\n");
      for (int j = 0; j < routePorts.size(); j++) {
        if (j != i) {
          extra.append("    nats-route://127.0.0.1:").append(routePorts.get(j)).append('\n');
        }
      }
      extra.append("  ]\n}\n");
    }
    if (jetStream) {
      extra.append("jetstream {\n  store_dir: \"");
      extra.append(serverDir.resolve("jetstream")).append("\"\n}\n");
    }
    Files.writeString(serverDir.resolve("resolver.conf"), conf);
    servers[i] =
        NatsServerProcess.builder(serverDir)
            .binary(natsBinary)
            .port(ports.get(i))
            .config(extra.toString())
            .start();
  }

  /** Stops server {@code i}; the others keep running. */
  public void stopNats(int i) {
    servers[i].stop();
  }

  /**
   * The full resolver directory of server {@code i}: where it stores account JWTs as {@code
   * <account public key>.jwt}.
   */
  public Path resolverDir(int i) {
    return routePorts.isEmpty() ? jwtDir() : dir.resolve("jwt-" + i);
  }

  private Path jwtDir() {
    return dir.resolve("jwt");
  }

  /**
   * Restarts nats-server (same port) from the ConfigMap as it is now, as a config reloader would.
   */
  public void restartNats() throws IOException {
    servers[0].stop();
    startNats(0);
  }

  public void startOperator() {
    metrics = OperatorMetrics.inMemory();
    app = OperatorApp.start(operatorClient, settings, metrics);
  }

  /**
   * Stops the operator (not the API, not nats-server); {@link #startOperator()} starts a fresh one.
   */
  public void stopOperator() {
    app.close();
    app = null;
  }

  /**
   * Stops the operator process (not the API, not nats-server) and starts a fresh one with fresh
   * metrics.
   */
  public void restartOperator() {
    app.close();
    startOperator();
  }

  /** The running operator process (e.g. its activation token server). */
  public OperatorApp app() {
    return app;
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  /** How many Events with {@code reason} were recorded about one object. */
  public long events(String kind, String namespace, String name, String reason) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> kind.equals(e.getInvolvedObject().getKind()))
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .count();
  }

  /**
   * A counter of the operator's metrics by name and tags (key, value, …); 0 before its first use.
   */
  public double counter(String name, String... tags) {
    io.micrometer.core.instrument.Counter c = metrics.registry().find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  /** The running operator's shared services, for tests that look at its in-memory state. */
  public dev.nats.accounts.reconciler.Services services() {
    return app.services();
  }

  public KubernetesClient client() {
    return client;
  }

  public NatsServerProcess nats() {
    return servers[0];
  }

  public NatsServerProcess nats(int i) {
    return servers[i];
  }

  /** The first server's client URL. */
  public String url() {
    return url(0);
  }

  public String url(int i) {
    return "nats://127.0.0.1:" + ports.get(i);
  }

  /** Every server's client URL, as the Operator's {@code spec.servers} lists them. */
  public List<String> urls() {
    return java.util.stream.IntStream.range(0, ports.size()).mapToObj(this::url).toList();
  }

  public <T extends HasMetadata> T create(T resource) {
    return client.resource(resource).create();
  }

  /**
   * Replaces the resource's spec with {@code changed}'s, as {@code kubectl edit} would: the
   * operator writes status concurrently, so a plain update of a copy read a moment ago can meet a
   * 409; on one the latest is read again and the spec put on it.
   */
  @SuppressWarnings("unchecked")
  public <S, T extends CustomResource<S, ?>> T updateSpec(T changed) {
    for (int attempt = 0; ; attempt++) {
      try {
        return client.resource(changed).update();
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 10) {
          throw e;
        }
        T latest =
            (T)
                client
                    .resources(changed.getClass())
                    .inNamespace(changed.getMetadata().getNamespace())
                    .withName(changed.getMetadata().getName())
                    .get();
        latest.setSpec(changed.getSpec());
        changed = latest;
      }
    }
  }

  public <T extends CustomResource<?, ?>> T get(Class<T> type, String ns, String name) {
    return client.resources(type).inNamespace(ns).withName(name).get();
  }

  /** Waits until the resource reports Ready=True and returns it. */
  public <T extends CustomResource<?, ?>> T awaitReady(Class<T> type, String ns, String name) {
    return awaitCondition(type, ns, name, ConditionType.READY, Conditions.TRUE, null);
  }

  /** Waits until condition {@code type} has the status (and, when given, the reason). */
  public <T extends CustomResource<?, ?>> T awaitCondition(
      Class<T> kind, String ns, String name, ConditionType type, String status, Reason reason) {
    Predicate<T> p =
        r ->
            r != null
                && r.getStatus() instanceof dev.nats.accounts.api.v1alpha1.BaseStatus s
                && Conditions.find(s.getConditions(), type)
                    .map(
                        c ->
                            status.equals(c.getStatus())
                                && (reason == null || reason.value().equals(c.getReason())))
                    .orElse(false);
    try {
      return await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> get(kind, ns, name), p);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      T cur = get(kind, ns, name);
      throw new AssertionError(
          kind.getSimpleName()
              + " "
              + ns
              + "/"
              + name
              + " did not reach "
              + type
              + "="
              + status
              + (reason == null ? "" : " (" + reason + ")")
              + "; status now: "
              + (cur == null
                  ? "<gone>"
                  : io.fabric8.kubernetes.client.utils.Serialization.asJson(cur.getStatus())),
          e);
    }
  }

  /**
   * Applies every manifest in {@code dir} except Operators (the harness has its own Operator
   * nats/main); Namespaces are created when missing.
   */
  public List<io.fabric8.kubernetes.api.model.GenericKubernetesResource> applyManifests(Path dir)
      throws IOException {
    List<io.fabric8.kubernetes.api.model.GenericKubernetesResource> applied =
        new java.util.ArrayList<>();
    for (var r : dev.nats.accounts.demo.Demo.loadManifests(dir)) {
      if ("Operator".equals(r.getKind())) {
        continue;
      }
      if ("Namespace".equals(r.getKind())) {
        if (client.namespaces().withName(r.getMetadata().getName()).get() == null) {
          client
              .namespaces()
              .resource(
                  new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                      .withMetadata(r.getMetadata())
                      .build())
              .create();
        }
        continue;
      }
      client
          .genericKubernetesResources(dev.nats.accounts.demo.Demo.context(r.getKind()))
          .inNamespace(r.getMetadata().getNamespace())
          .resource(r)
          .create();
      applied.add(r);
    }
    return applied;
  }

  public String secretValue(String ns, String name, String key) {
    Secret s = client.secrets().inNamespace(ns).withName(name).get();
    if (s == null || s.getData() == null || s.getData().get(key) == null) {
      return null;
    }
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
  }

  /** Connects with creds text; the error listener may be null. */
  public Connection connect(String creds, ErrorListener listener)
      throws IOException, InterruptedException {
    Options.Builder b =
        new Options.Builder()
            .server(url())
            .authHandler(Nats.staticCredentials(creds.getBytes(StandardCharsets.UTF_8)))
            .reportNoResponders()
            .maxReconnects(0)
            .connectionTimeout(Duration.ofSeconds(3));
    if (listener != null) {
      b.errorListener(listener);
    }
    return Nats.connect(b.build());
  }

  @Override
  public void close() {
    if (app != null) {
      app.close();
    }
    for (NatsServerProcess server : servers) {
      if (server != null) {
        server.stop();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
