package dev.nats.accounts.demo;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.nats.accounts.app.OperatorApp;
import dev.nats.accounts.app.OperatorSettings;
import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.nats.NatsServerProcess;
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
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * The local demo: an in-process Kubernetes API (fabric8 CRUD mock), a real nats-server child
 * process and the real, unchanged operator. It exists so a newcomer sees the product work in one
 * command and can inspect every JWT and creds file it produces; nothing in the reconcilers knows
 * it is a demo.
 */
public final class Demo {
  public static final String GROUP = "accounts.nats.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  public static final List<String> KINDS =
      List.of("Operator", "Account", "User", "ServiceExport", "StreamExport", "ServiceImport", "StreamImport");

  private final DemoOptions options;
  private final PrintStream out;
  private final long started = System.nanoTime();
  private final CountDownLatch cleanedUp = new CountDownLatch(1);

  public Demo(DemoOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Runs the demo; returns the process exit code. */
  public int run() throws Exception {
    List<GenericKubernetesResource> manifests = loadManifests(options.manifests());
    NatsServerProcess.findBinary(); // fails early with the install command when nats-server is missing
    Path work = Files.createTempDirectory("nats-account-operator-demo");
    int natsPort = freePort();
    String natsUrl = "nats://127.0.0.1:" + natsPort;

    KubernetesMockServer api =
        new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
    api.init(InetAddress.getLoopbackAddress(), 0);
    NatsServerProcess nats = null;
    OperatorApp operator = null;
    try (KubernetesClient client = api.createClient()) {
      registerCrds(client);
      log("Kubernetes API (in-process mock) at " + client.getMasterUrl());
      operator = OperatorApp.start(client, OperatorSettings.forDemo(), OperatorMetrics.inMemory());
      log("operator started");

      GenericKubernetesResource op = manifests.stream().filter(r -> "Operator".equals(r.getKind())).findFirst().orElse(null);
      if (op == null) {
        op = defaultOperator();
        log("no Operator in " + options.manifests() + ": creating Operator nats/demo");
      } else {
        manifests.remove(op);
      }
      pointAtDemoServer(op, natsUrl, work.resolve("jwt"));
      apply(client, op);

      String configMap = op.getMetadata().getName() + "-server-config";
      String resolverConf = awaitResolverConf(client, op.getMetadata().getNamespace(), configMap);
      Path serverDir = work.resolve("nats");
      Files.createDirectories(serverDir);
      Files.writeString(serverDir.resolve("resolver.conf"), resolverConf);
      nats = NatsServerProcess.builder(serverDir).port(natsPort).serverName("demo").config("include resolver.conf\n").start();
      log("nats-server " + natsUrl + " started from ConfigMap " + op.getMetadata().getNamespace() + "/" + configMap);

      List<GenericKubernetesResource> all = new ArrayList<>();
      all.add(op);
      for (GenericKubernetesResource r : manifests) {
        apply(client, r);
        all.add(r);
      }
      List<ResourceView> views = awaitReady(client, all);
      boolean allReady = views.stream().allMatch(ResourceView::isReady);

      boolean tutorialOk = true;
      if (allReady && options.defaultManifests()) {
        tutorialOk = runTutorialRequests(client, natsUrl);
      }
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
            .forEach(v -> out.println("  " + v.id() + ": " + v.reason() + (v.message().isEmpty() ? "" : " - " + v.message())));
      }
      if (options.keepRunning()) {
        out.println();
        out.println("keeping the API, the operator and nats-server (" + natsUrl + ") up; Ctrl-C to stop");
        awaitSignal();
      }
      return allReady && tutorialOk ? 0 : 1;
    } finally {
      if (operator != null) {
        operator.close();
      }
      if (nats != null) {
        nats.stop();
      }
      api.destroy();
      cleanedUp.countDown();
    }
  }

  static List<GenericKubernetesResource> loadManifests(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new DemoOptions.UsageException("manifest directory " + dir + " does not exist");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    }
    List<GenericKubernetesResource> out = new ArrayList<>();
    YAMLMapper yaml = new YAMLMapper();
    for (Path f : files) {
      try (MappingIterator<Map<String, Object>> it = yaml.readerForMapOf(Object.class).readValues(f.toFile())) {
        while (it.hasNext()) {
          Map<String, Object> doc = it.next();
          if (doc == null || doc.isEmpty()) {
            continue;
          }
          GenericKubernetesResource r = Serialization.jsonMapper().convertValue(doc, GenericKubernetesResource.class);
          if (r.getMetadata().getNamespace() == null) {
            r.getMetadata().setNamespace("default");
          }
          out.add(r);
        }
      }
    }
    return out;
  }

  static void registerCrds(KubernetesClient client) throws IOException {
    for (String kind : KINDS) {
      String file = "META-INF/fabric8/" + plural(kind) + "." + GROUP + "-v1.yml";
      try (InputStream in = Demo.class.getClassLoader().getResourceAsStream(file)) {
        if (in == null) {
          throw new IllegalStateException("CRD " + file + " missing from the jar; rebuild with mvn package");
        }
        CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      }
    }
  }

  static String plural(String kind) {
    return kind.toLowerCase(Locale.ROOT) + "s";
  }

  static ResourceDefinitionContext context(String kind) {
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
    op.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("demo").withNamespace("nats").build());
    op.setAdditionalProperty("spec", new LinkedHashMap<String, Object>());
    return op;
  }

  @SuppressWarnings("unchecked")
  private static void pointAtDemoServer(GenericKubernetesResource op, String url, Path resolverDir) {
    Map<String, Object> spec = (Map<String, Object>) op.getAdditionalProperties().computeIfAbsent("spec", k -> new LinkedHashMap<>());
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
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    }
    if (!KINDS.contains(r.getKind())) {
      client.resource(r).inNamespace(ns).createOr(o -> o.update());
    } else {
      client.genericKubernetesResources(context(r.getKind())).inNamespace(ns).resource(r).create();
    }
    log("applied " + r.getKind() + " " + ns + "/" + r.getMetadata().getName());
  }

  private String awaitResolverConf(KubernetesClient client, String ns, String name) throws InterruptedException {
    long deadline = System.nanoTime() + options.timeout().toNanos();
    while (System.nanoTime() < deadline) {
      var cm = client.configMaps().inNamespace(ns).withName(name).get();
      if (cm != null && cm.getData() != null && cm.getData().get("resolver.conf") != null) {
        return cm.getData().get("resolver.conf");
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the operator did not write ConfigMap " + ns + "/" + name + " within " + options.timeout());
  }

  private List<ResourceView> awaitReady(KubernetesClient client, List<GenericKubernetesResource> applied)
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
            client.genericKubernetesResources(context(r.getKind()))
                .inNamespace(r.getMetadata().getNamespace())
                .withName(r.getMetadata().getName())
                .get();
        ResourceView v = cur == null
            ? new ResourceView(r.getKind(), r.getMetadata().getNamespace(), r.getMetadata().getName(), "Unknown", "NotFound", "", "")
            : ResourceView.of(cur);
        views.add(v);
        if (!v.progressKey().equals(last.put(v.id(), v.progressKey()))) {
          log(v.id() + ": Ready=" + v.ready() + (v.reason().isEmpty() ? "" : " (" + v.reason() + (v.message().isEmpty() ? "" : ": " + v.message()) + ")"));
        }
      }
      if (views.stream().allMatch(ResourceView::isReady) || System.nanoTime() > deadline) {
        return views;
      }
      Thread.sleep(200);
    }
  }

  /** The tutorial's requests, printed as the tutorial shows them. */
  private boolean runTutorialRequests(KubernetesClient client, String natsUrl) throws Exception {
    String responderCreds = credsOf(client, "u");
    String requesterCreds = credsOf(client, "b");
    if (responderCreds == null || requesterCreds == null) {
      out.println("tutorial users 'u' and 'b' not found: skipping the requests");
      return false;
    }
    out.println();
    out.println("== the nsc Services tutorial, against " + natsUrl);
    boolean ok = true;
    try (Connection responder = connect(natsUrl, responderCreds, "a/u");
        Connection requester = connect(natsUrl, requesterCreds, "b/b")) {
      Dispatcher d = responder.createDispatcher();
      d.subscribe("help", m -> reply(responder, m, "I will help"));
      d.subscribe("private.help.*", m -> reply(responder, m, "help is here"));
      responder.flush(Duration.ofSeconds(2));
      out.println("listening on [help] and [private.help.*] as user u of account a");
      ok &= request(requester, "help", "me", "I will help");
      ok &= request(requester, "private.help", "help_me", "help is here");
    }
    return ok;
  }

  private void reply(Connection c, Message m, String text) {
    out.println("  account a received on [" + m.getSubject() + "]: '" + new String(m.getData(), StandardCharsets.UTF_8) + "'");
    c.publish(m.getReplyTo(), text.getBytes(StandardCharsets.UTF_8));
  }

  private boolean request(Connection c, String subject, String body, String expected) {
    out.println("> nats-req -creds b.creds " + subject + " " + body);
    out.println("published request: [" + subject + "] : '" + body + "'");
    try {
      Message m = c.request(subject, body.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(3));
      if (m == null) {
        out.println("no reply within 3s");
        return false;
      }
      String text = new String(m.getData(), StandardCharsets.UTF_8);
      out.println("received reply: [" + m.getSubject() + "] : '" + text + "'");
      return expected.equals(text);
    } catch (Exception e) {
      out.println("request failed: " + e);
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
            .connectionTimeout(Duration.ofSeconds(3))
            .build();
    return Nats.connect(o);
  }

  private static String credsOf(KubernetesClient client, String userName) {
    GenericKubernetesResource user =
        client.genericKubernetesResources(context("User")).inAnyNamespace().list().getItems().stream()
            .filter(u -> userName.equals(u.getMetadata().getName()))
            .findFirst()
            .orElse(null);
    if (user == null) {
      return null;
    }
    String secretName = userName + "-creds";
    if (user.getAdditionalProperties().get("status") instanceof Map<?, ?> st && st.get("credsSecretName") instanceof String s) {
      secretName = s;
    }
    Secret secret = client.secrets().inNamespace(user.getMetadata().getNamespace()).withName(secretName).get();
    if (secret == null || secret.getData() == null || secret.getData().get("user.creds") == null) {
      return null;
    }
    return new String(Base64.getDecoder().decode(secret.getData().get("user.creds")), StandardCharsets.UTF_8);
  }

  private void writeOut(KubernetesClient client, List<ResourceView> views, String natsUrl) throws IOException {
    Path dir = options.out();
    Files.createDirectories(dir);
    for (String kind : KINDS) {
      for (GenericKubernetesResource r : client.genericKubernetesResources(context(kind)).inAnyNamespace().list().getItems()) {
        Path f = dir.resolve("resources").resolve(kind.toLowerCase(Locale.ROOT)).resolve(r.getMetadata().getNamespace())
            .resolve(r.getMetadata().getName() + ".yaml");
        Files.createDirectories(f.getParent());
        Files.writeString(f, Serialization.asYaml(r));
      }
    }
    for (Secret s : client.secrets().inAnyNamespace().list().getItems()) {
      if (s.getData() == null) {
        continue;
      }
      for (Map.Entry<String, String> e : s.getData().entrySet()) {
        Path f = dir.resolve("secrets").resolve(s.getMetadata().getNamespace()).resolve(s.getMetadata().getName()).resolve(e.getKey());
        Files.createDirectories(f.getParent());
        Files.write(f, Base64.getDecoder().decode(e.getValue()));
      }
    }
    Files.writeString(dir.resolve("nats-url"), natsUrl + "\n");
    Files.writeString(dir.resolve("summary.txt"), ResourceView.table(views));
    log("wrote " + dir);
  }

  /**
   * Blocks until SIGINT/SIGTERM. The hook waits for the main thread's cleanup, because the JVM
   * halts as soon as the hooks return and the nats-server child must not be left running.
   */
  private void awaitSignal() throws InterruptedException {
    CountDownLatch signalled = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  signalled.countDown();
                  try {
                    cleanedUp.await(15, java.util.concurrent.TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    signalled.await();
    log("signal received: stopping");
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
