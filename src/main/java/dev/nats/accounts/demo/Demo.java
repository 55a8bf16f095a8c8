package dev.nats.accounts.demo;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.nats.accounts.app.OperatorApp;
import dev.nats.accounts.app.OperatorSettings;
import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.nats.NatsServerProcess;
import dev.nats.accounts.reconciler.Names;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamStatusException;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.support.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The local demo: an in-process Kubernetes API (fabric8 CRUD mock), a real nats-server child
 * process and the real, unchanged operator. It exists so a newcomer sees the product work in one
 * command and can inspect every JWT and creds file it produces; nothing in the reconcilers knows it
 * is a demo.
 */
public final class Demo {
  public static final String GROUP = "accounts.nats.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  public static final List<String> KINDS =
      List.of(
          "Operator",
          "Account",
          "User",
          "ServiceExport",
          "StreamExport",
          "ServiceImport",
          "StreamImport");

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

  private final DemoOptions options;
  private final PrintStream out;
  private final Observer observer;
  private final long started = System.nanoTime();
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch cleanedUp = new CountDownLatch(1);

  public Demo(DemoOptions options, PrintStream out) {
    this(options, out, running -> {});
  }

  /**
   * The observer sees the demo while everything is up, after OUT is written and before anything
   * stops.
   */
  Demo(DemoOptions options, PrintStream out, Observer observer) {
    this.options = options;
    this.out = out;
    this.observer = observer;
  }

  /**
   * A look at the running demo. It exists so a test can use what the demo wrote (creds, URL)
   * against the live nats-server without sleeping or racing the shutdown.
   */
  @FunctionalInterface
  interface Observer {
    void running(Running demo) throws Exception;
  }

  /** What is up while the observer runs. */
  record Running(String natsUrl, KubernetesClient client, NatsServerProcess natsServer) {}

  /** Ends a {@code --keep-running} wait, as SIGINT or SIGTERM do; harmless at any other time. */
  public void stop() {
    stopRequested.countDown();
  }

  /** Runs the demo; returns the process exit code. */
  public int run() throws Exception {
    List<GenericKubernetesResource> manifests = loadManifests(options.manifests());
    NatsServerProcess
        .findBinary(); // fails early with the install command when nats-server is missing
    Path work = Files.createTempDirectory("nats-account-operator-demo");
    int natsPort = freePort();
    String natsUrl = "nats://127.0.0.1:" + natsPort;

    Api api = options.realApiServer() ? Api.real() : Api.mock();
    NatsServerProcess nats = null;
    OperatorApp operator = null;
    try (KubernetesClient client = api.client()) {
      registerCrds(client, options.realApiServer());
      log(api.description() + " at " + client.getMasterUrl());
      if (api.kubeconfig() != null) {
        Path kubeconfig = (options.out() != null ? options.out() : work).resolve("kubeconfig");
        Files.createDirectories(kubeconfig.getParent());
        Files.writeString(kubeconfig, api.kubeconfig());
        log(
            "kubeconfig written to "
                + kubeconfig
                + " (kubectl --kubeconfig "
                + kubeconfig
                + " get nats -A)");
      }
      operator = OperatorApp.start(client, OperatorSettings.forDemo(), OperatorMetrics.inMemory());
      log("operator started");

      GenericKubernetesResource op = operatorOf(manifests);
      if (op == null) {
        op = defaultOperator();
        log("no Operator in " + options.manifests() + ": creating Operator nats/demo");
      } else {
        manifests.remove(op);
      }
      pointAtDemoServer(op, natsUrl, work.resolve("jwt"));
      apply(client, op);

      String ns = op.getMetadata().getNamespace();
      String configMap = Names.serverConfig(op.getMetadata().getName());
      String resolverConf = awaitResolverConf(client, ns, configMap);
      Path serverDir = work.resolve("nats");
      Files.createDirectories(serverDir);
      Files.writeString(serverDir.resolve("resolver.conf"), resolverConf);
      Path natsBinary = NatsServerProcess.findBinary();
      nats =
          NatsServerProcess.builder(serverDir)
              .binary(natsBinary)
              .port(natsPort)
              .serverName("demo")
              .config("include resolver.conf\n")
              .start();
      log(
          "nats-server "
              + NatsServerProcess.version(natsBinary)
              + " started at "
              + natsUrl
              + " with resolver.conf from ConfigMap "
              + ns
              + "/"
              + configMap);

      List<GenericKubernetesResource> all = new ArrayList<>();
      all.add(op);
      for (GenericKubernetesResource r : manifests) {
        apply(client, r);
        all.add(r);
      }
      List<ResourceView> views = awaitReady(client, all);
      boolean allReady = views.stream().allMatch(ResourceView::isReady);

      if (options.out() != null) {
        writeOut(client, views, natsUrl);
      }
      out.println();
      out.print(ResourceView.table(views));
      if (!allReady) {
        out.println();
        out.println("NOT READY:");
        views.stream()
            .filter(v -> !v.isReady())
            .forEach(
                v ->
                    out.println(
                        "  "
                            + v.id()
                            + ": "
                            + (v.reason().isEmpty()
                                ? "no status written by the operator yet"
                                : v.reason())
                            + (v.message().isEmpty() ? "" : " - " + v.message())));
      }
      boolean tutorialOk = true;
      if (allReady && options.defaultManifests()) {
        tutorialOk = runTutorialRequests(client, natsUrl);
      }
      observer.running(new Running(natsUrl, client, nats));
      if (options.keepRunning()) {
        out.println();
        out.println(
            "keeping the API, the operator and nats-server (" + natsUrl + ") up; Ctrl-C to stop");
        awaitStop();
      }
      return allReady && tutorialOk ? 0 : 1;
    } finally {
      // Each step on its own: a failing operator shutdown must not leave the nats-server child
      // running.
      try {
        OperatorApp o = operator;
        NatsServerProcess n = nats;
        cleanup(
            "the operator",
            () -> {
              if (o != null) {
                o.close();
              }
            });
        cleanup(
            "nats-server",
            () -> {
              if (n != null) {
                n.stop();
              }
            });
        cleanup("the Kubernetes API", api::close);
        deleteTree(work);
      } finally {
        cleanedUp.countDown();
      }
    }
  }

  private void cleanup(String what, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      out.println("warning: stopping " + what + " failed: " + e);
    }
  }

  /**
   * The Operator of the manifest set, or null; the demo runs one nats-server, so it serves one
   * Operator.
   */
  static GenericKubernetesResource operatorOf(List<GenericKubernetesResource> manifests) {
    List<GenericKubernetesResource> ops =
        manifests.stream().filter(r -> "Operator".equals(r.getKind())).toList();
    if (ops.size() > 1) {
      throw new DemoOptions.UsageException(
          "the demo runs one nats-server for one Operator, but the manifests hold "
              + ops.size()
              + " Operators");
    }
    return ops.isEmpty() ? null : ops.get(0);
  }

  public static List<GenericKubernetesResource> loadManifests(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new DemoOptions.UsageException(
          "manifest directory "
              + dir.toAbsolutePath()
              + " does not exist"
              + (dir.equals(DemoOptions.DEFAULT_MANIFESTS)
                  ? "; run the demo from the repository root (scripts/demo does) or pass --manifests DIR"
                  : ""));
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .sorted()
              .toList();
    }
    List<GenericKubernetesResource> out = new ArrayList<>();
    YAMLMapper yaml = new YAMLMapper();
    for (Path f : files) {
      try (MappingIterator<Map<String, Object>> it =
          yaml.readerForMapOf(Object.class).readValues(f.toFile())) {
        while (it.hasNext()) {
          Map<String, Object> doc = it.next();
          if (doc == null || doc.isEmpty()) {
            continue;
          }
          GenericKubernetesResource r =
              Serialization.jsonMapper().convertValue(doc, GenericKubernetesResource.class);
          if (r.getMetadata().getNamespace() == null) {
            r.getMetadata().setNamespace("default");
          }
          out.add(r);
        }
      }
    }
    return out;
  }

  /**
   * Installs the CRDs from the jar (finished as crds/ is); on a real API server, waits until each
   * is served.
   */
  static void registerCrds(KubernetesClient client, boolean waitEstablished) throws IOException {
    List<CustomResourceDefinition> crds = new ArrayList<>();
    for (String kind : KINDS) {
      String file = "META-INF/fabric8/" + plural(kind) + "." + GROUP + "-v1.yml";
      try (InputStream in = Demo.class.getClassLoader().getResourceAsStream(file)) {
        if (in == null) {
          throw new IllegalStateException(
              "CRD " + file + " missing from the jar; rebuild with mvn package");
        }
        String yaml =
            dev.nats.accounts.api.CrdFinish.finish(
                new String(in.readAllBytes(), StandardCharsets.UTF_8));
        crds.add(Serialization.unmarshal(yaml, CustomResourceDefinition.class));
      }
    }
    if (waitEstablished) {
      RealApiServer.installCrds(client, crds);
    } else {
      crds.forEach(
          crd -> client.apiextensions().v1().customResourceDefinitions().resource(crd).create());
    }
  }

  /**
   * The Kubernetes API the demo runs on: the in-process mock by default, or a real kube-apiserver +
   * etcd.
   *
   * @param kubeconfig a kubeconfig for users' kubectl, or null when there is none to give (the
   *     mock)
   */
  private record Api(
      KubernetesClient client, String description, String kubeconfig, Runnable stop) {
    void close() {
      stop.run();
    }

    static Api mock() {
      KubernetesMockServer server =
          new KubernetesMockServer(
              new Context(),
              new MockWebServer(),
              new HashMap<>(),
              new KubernetesCrudDispatcher(),
              false);
      server.init(InetAddress.getLoopbackAddress(), 0);
      return new Api(
          server.createClient(),
          "Kubernetes API (in-process fabric8 mock, CRUD mode)",
          null,
          server::destroy);
    }

    static Api real() {
      RealApiServer server = RealApiServer.start(List.of());
      return new Api(
          server.adminClient(),
          "Kubernetes API (real kube-apiserver and etcd, kube-api-test)",
          server.kubeconfig(),
          server::close);
    }
  }

  static String plural(String kind) {
    return kind.toLowerCase(Locale.ROOT) + "s";
  }

  public static ResourceDefinitionContext context(String kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(GROUP)
        .withVersion(VERSION)
        .withKind(kind)
        .withPlural(plural(kind))
        .withNamespaced(true)
        .build();
  }

  private static GenericKubernetesResource defaultOperator() {
    GenericKubernetesResource op = new GenericKubernetesResource();
    op.setApiVersion(API_VERSION);
    op.setKind("Operator");
    op.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("demo")
            .withNamespace("nats")
            .build());
    op.setAdditionalProperty("spec", new LinkedHashMap<String, Object>());
    return op;
  }

  @SuppressWarnings("unchecked")
  private static void pointAtDemoServer(
      GenericKubernetesResource op, String url, Path resolverDir) {
    Map<String, Object> spec =
        (Map<String, Object>)
            op.getAdditionalProperties().computeIfAbsent("spec", k -> new LinkedHashMap<>());
    spec.put("servers", List.of(url));
    Map<String, Object> resolver = new LinkedHashMap<>();
    if (spec.get("resolver") instanceof Map<?, ?> given) {
      resolver.putAll((Map<String, Object>) given);
    }
    if (!"memory".equals(resolver.get("type"))) {
      resolver.put("type", resolver.getOrDefault("type", "full"));
      resolver.put("dir", resolverDir.toString());
    }
    resolver.putIfAbsent("allowDelete", true);
    spec.put("resolver", resolver);
  }

  private void apply(KubernetesClient client, GenericKubernetesResource r) {
    String ns = r.getMetadata().getNamespace();
    if (client.namespaces().withName(ns).get() == null) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    if (!KINDS.contains(r.getKind())) {
      client.resource(r).inNamespace(ns).createOr(o -> o.update());
    } else {
      client.genericKubernetesResources(context(r.getKind())).inNamespace(ns).resource(r).create();
    }
    log("applied " + r.getKind() + " " + ns + "/" + r.getMetadata().getName());
  }

  private String awaitResolverConf(KubernetesClient client, String ns, String name)
      throws InterruptedException {
    long deadline = System.nanoTime() + options.timeout().toNanos();
    while (System.nanoTime() < deadline) {
      var cm = client.configMaps().inNamespace(ns).withName(name).get();
      if (cm != null && cm.getData() != null && cm.getData().get("resolver.conf") != null) {
        return cm.getData().get("resolver.conf");
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "the operator did not write ConfigMap " + ns + "/" + name + " within " + options.timeout());
  }

  private List<ResourceView> awaitReady(
      KubernetesClient client, List<GenericKubernetesResource> applied)
      throws InterruptedException {
    long deadline = System.nanoTime() + options.timeout().toNanos();
    Map<String, String> last = new HashMap<>();
    List<ResourceView> views = List.of();
    while (true) {
      views = new ArrayList<>();
      for (GenericKubernetesResource r : applied) {
        if (!KINDS.contains(r.getKind())) {
          continue;
        }
        GenericKubernetesResource cur =
            client
                .genericKubernetesResources(context(r.getKind()))
                .inNamespace(r.getMetadata().getNamespace())
                .withName(r.getMetadata().getName())
                .get();
        ResourceView v =
            cur == null
                ? new ResourceView(
                    r.getKind(),
                    r.getMetadata().getNamespace(),
                    r.getMetadata().getName(),
                    "Unknown",
                    "NotFound",
                    "",
                    "")
                : ResourceView.of(cur);
        views.add(v);
        if (!v.progressKey().equals(last.put(v.id(), v.progressKey()))) {
          log(v.progressLine());
        }
      }
      if (views.stream().allMatch(ResourceView::isReady) || System.nanoTime() > deadline) {
        return views;
      }
      Thread.sleep(200);
    }
  }

  /**
   * The tutorial's requests, printed the way the tutorial shows {@code nsc reply} and {@code nsc
   * req}: user u of account a answers, user b of account b asks through its two imports.
   */
  private boolean runTutorialRequests(KubernetesClient client, String natsUrl) throws Exception {
    UserCreds responderCreds = credsOf(client, "u");
    UserCreds requesterCreds = credsOf(client, "b");
    if (responderCreds == null || requesterCreds == null) {
      out.println(
          "tutorial users 'u' and 'b' (with creds Secrets) not found: cannot run the tutorial's requests");
      return false;
    }
    out.println();
    out.println("The tutorial's requests, against " + natsUrl + ":");
    out.println(
        "# user u (creds from Secret "
            + responderCreds.secret()
            + ") answers; user b (creds from Secret "
            + requesterCreds.secret()
            + ") asks");
    boolean ok = true;
    try (Connection responder = connect(natsUrl, responderCreds.creds(), "u");
        Connection requester = connect(natsUrl, requesterCreds.creds(), "b")) {
      Dispatcher d = responder.createDispatcher();
      out.println("> nsc reply --account A --user U help \"I will help\"");
      d.subscribe("help", m -> reply(responder, m, "I will help"));
      out.println("listening on [help]");
      out.println("> nsc reply --account A --user U \"private.help.*\" \"help is here\"");
      d.subscribe("private.help.*", m -> reply(responder, m, "help is here"));
      out.println("listening on [private.help.*]");
      responder.flush(Duration.ofSeconds(2));
      ok &= request(requester, "help", "me", "I will help");
      ok &= request(requester, "private.help", "help_me", "help is here");
    }
    return ok;
  }

  private void reply(Connection c, Message m, String text) {
    out.println(
        "  (user u received on ["
            + m.getSubject()
            + "]: '"
            + new String(m.getData(), StandardCharsets.UTF_8)
            + "')");
    c.publish(m.getReplyTo(), text.getBytes(StandardCharsets.UTF_8));
  }

  private boolean request(Connection c, String subject, String body, String expected)
      throws InterruptedException {
    out.println("> nsc req --account B --user b " + subject + " " + body);
    out.println("published request: [" + subject + "] : '" + body + "'");
    try {
      Message m =
          c.requestWithTimeout(subject, body.getBytes(StandardCharsets.UTF_8), REQUEST_TIMEOUT)
              .get(REQUEST_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
      String text = new String(m.getData(), StandardCharsets.UTF_8);
      out.println("received reply: [" + m.getSubject() + "] : '" + text + "'");
      return expected.equals(text);
    } catch (ExecutionException e) {
      boolean noResponders =
          e.getCause() instanceof JetStreamStatusException st
              && st.getStatus().getCode() == Status.NO_RESPONDERS_CODE;
      out.println(
          noResponders
              ? "no responders: the import is missing from account b"
              : "request failed: " + e.getCause());
      return false;
    } catch (TimeoutException | CancellationException e) {
      out.println("no reply within " + REQUEST_TIMEOUT.toSeconds() + "s");
      return false;
    }
  }

  private static Connection connect(String url, String creds, String name) throws Exception {
    Options o =
        new Options.Builder()
            .server(url)
            .authHandler(Nats.staticCredentials(creds.getBytes(StandardCharsets.UTF_8)))
            .connectionName("demo " + name)
            .reportNoResponders()
            .maxReconnects(0)
            .connectionTimeout(Duration.ofSeconds(3))
            .build();
    return Nats.connect(o);
  }

  private record UserCreds(String secret, String creds) {
    @Override
    public String toString() {
      return "UserCreds[" + secret + "]"; // the creds hold the user's seed
    }
  }

  private static UserCreds credsOf(KubernetesClient client, String userName) {
    GenericKubernetesResource user =
        client
            .genericKubernetesResources(context("User"))
            .inAnyNamespace()
            .list()
            .getItems()
            .stream()
            .filter(u -> userName.equals(u.getMetadata().getName()))
            .findFirst()
            .orElse(null);
    if (user == null) {
      return null;
    }
    String ns = user.getMetadata().getNamespace();
    String secretName = Names.userCreds(userName);
    if (user.getAdditionalProperties().get("status") instanceof Map<?, ?> st
        && st.get("credsSecretName") instanceof String s) {
      secretName = s;
    }
    Secret secret = client.secrets().inNamespace(ns).withName(secretName).get();
    byte[] creds = secret == null ? null : secretBytes(secret).get("user.creds");
    return creds == null
        ? null
        : new UserCreds(ns + "/" + secretName, new String(creds, StandardCharsets.UTF_8));
  }

  private void writeOut(KubernetesClient client, List<ResourceView> views, String natsUrl)
      throws IOException {
    Path dir = options.out();
    Files.createDirectories(dir);
    // Files of an earlier run would pass for this run's; only what the demo itself writes is
    // removed.
    deleteTree(dir.resolve("resources"));
    deleteTree(dir.resolve("secrets"));
    ownerOnly(Files.createDirectories(dir.resolve("secrets"))); // it holds seeds
    for (String kind : KINDS) {
      for (GenericKubernetesResource r :
          client.genericKubernetesResources(context(kind)).inAnyNamespace().list().getItems()) {
        Path f =
            dir.resolve("resources")
                .resolve(kind.toLowerCase(Locale.ROOT))
                .resolve(r.getMetadata().getNamespace())
                .resolve(r.getMetadata().getName() + ".yaml");
        Files.createDirectories(f.getParent());
        Files.writeString(f, Serialization.asYaml(r));
      }
    }
    for (Secret s : client.secrets().inAnyNamespace().list().getItems()) {
      for (Map.Entry<String, byte[]> e : secretBytes(s).entrySet()) {
        Path f =
            dir.resolve("secrets")
                .resolve(s.getMetadata().getNamespace())
                .resolve(s.getMetadata().getName())
                .resolve(e.getKey());
        Files.createDirectories(f.getParent());
        Files.write(f, e.getValue());
      }
    }
    Files.writeString(dir.resolve("nats-url"), natsUrl + "\n");
    Files.writeString(dir.resolve("summary.txt"), ResourceView.table(views));
    log("wrote " + dir);
  }

  /**
   * Blocks until SIGINT/SIGTERM (or {@link #stop()}). The hook waits for the main thread's cleanup,
   * because the JVM halts as soon as the hooks return and the nats-server child must be stopped,
   * not orphaned; the API and operator die with the JVM anyway.
   */
  private void awaitStop() throws InterruptedException {
    Thread hook =
        new Thread(
            () -> {
              stop();
              try {
                cleanedUp.await(20, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    stopRequested.await();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // a signal: the hook is running and waits for the cleanup below
    }
    out.println();
    log("stopping");
  }

  private static void ownerOnly(Path dir) throws IOException {
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temp dir left behind is not worth failing the demo for
    }
  }

  /**
   * The decoded entries of a Secret. A real API server folds {@code stringData} into {@code data};
   * the mock keeps it as written, so both are read (data wins, as on a real server).
   */
  static Map<String, byte[]> secretBytes(Secret s) {
    Map<String, byte[]> entries = new TreeMap<>();
    if (s.getStringData() != null) {
      s.getStringData().forEach((k, v) -> entries.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    if (s.getData() != null) {
      s.getData().forEach((k, v) -> entries.put(k, Base64.getDecoder().decode(v)));
    }
    return entries;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void log(String line) {
    long ms = (System.nanoTime() - started) / 1_000_000;
    out.printf("[%5.1fs] %s%n", ms / 1000.0, line);
  }
}
