package dev.nats.accounts.bench;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.demo.RealApiServer;
import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.IssuedAt;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.keys.KeySecrets;
import dev.nats.accounts.nats.NatsServerProcess;
import dev.nats.accounts.nats.SystemConnection;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.testing.Crds;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.nats.client.Connection;
import io.nats.client.Message;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scale benchmark of bench/README.md: N tenants on a real kube-apiserver + etcd, the operator
 * as a separate JVM (the real {@code run} command), nats-server 2.15 with a full resolver. Not a
 * test (surefire runs *Test classes only); bench/scale/run.sh starts it.
 *
 * <p>Each tenant, in its own namespace: an Account, 2 Users, a public ServiceExport, a private
 * ServiceExport granted to the next tenant, a public StreamExport, and imports of the previous
 * tenant's two services and of the next tenant's stream (a ring: every account exports and
 * imports). Measured in one run: the API server's write rate with a bare client and raw pipelined
 * resolver pushes (the ceilings), time from the last apply to all Ready, the operator's CPU, heap
 * after GC and RSS, signs, pushes and API writes against the minimum the topology forces, then two
 * quiet minutes and an operator restart (which must do no work), then a resolver wiped and
 * restarted.
 */
public final class ScaleBench {
  static final String GROUP = "accounts.nats.dev";
  static final int RESOURCES_PER_TENANT = 9;
  private static final PrintStream OUT = System.out;

  private final int tenants;
  private final Duration quiet;
  private final int threads;
  private final Path work;
  private final Path jar;
  private final Map<String, Object> report = new LinkedHashMap<>();

  ScaleBench(int tenants, Duration quiet, int threads, Path work, Path jar) {
    this.tenants = tenants;
    this.quiet = quiet;
    this.threads = threads;
    this.work = work;
    this.jar = jar;
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    Duration quiet = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 120);
    Path jar =
        Path.of(System.getProperty("bench.jar", "target/nats-account-operator.jar"))
            .toAbsolutePath();
    Path work = Files.createTempDirectory("scale-bench-" + n + "-");
    int code = new ScaleBench(n, quiet, 16, work, jar).run();
    System.exit(code);
  }

  int run() throws Exception {
    log("tenants=" + tenants + " resources=" + tenants * RESOURCES_PER_TENANT + " work=" + work);
    try (RealApiServer api =
            RealApiServer.start(
                List.of(
                    "--max-requests-inflight", "800", "--max-mutating-requests-inflight", "400"));
        // The bench's side reads watch events fabric8's way (the operator's client reads them in
        // one pass): its watch costs what it did before. Its transport is the jar's: the bare
        // client's ceiling moves with it (Vert.x's was faster, bench/README.md).
        KubernetesClient admin =
            new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(api.kubeconfig()))
                .build()) {
      RealApiServer.installCrds(admin, Crds.load());
      boolean finalizerPolicy = !"disabled".equals(System.getenv("FINALIZERS_AT_ADMISSION"));
      if (finalizerPolicy) {
        installFinalizerPolicy(admin);
      }
      report.put("finalizers_at_admission", finalizerPolicy);
      Path kubeconfig = Files.writeString(work.resolve("kubeconfig"), api.kubeconfig());

      double bareRate = bareWriteRate(admin);
      report.put("ceiling_api_writes_per_s", round(bareRate));

      int metricsPort = freePort();
      int natsPort = freePort();
      OperatorJvm op =
          OperatorJvm.start(jar, kubeconfig, metricsPort, work.resolve("operator.log"));
      try {
        createOperator(admin, natsPort);
        String conf = awaitResolverConf(admin);
        Path natsDir = Files.createDirectories(work.resolve("nats"));
        Files.writeString(natsDir.resolve("resolver.conf"), conf);
        NatsServerProcess nats = startNats(natsDir, natsPort);
        try {
          awaitOperatorReady(admin);
          double rawPushes = rawPushRate(admin, nats.url(), Math.max(1000, tenants));
          report.put("ceiling_pushes_per_s", round(rawPushes));
          converge(admin, op, metricsPort, rawPushes);
          steadyAndRestart(admin, op, jar, kubeconfig, metricsPort);
          op = restarted;
          // Twice: right after the restart above (the operator's push path not compiled yet), and
          // again, as a long-running operator would meet a second wiped server.
          nats = repair("repair_", admin, nats, natsDir, natsPort, metricsPort, rawPushes);
          nats = repair("repair_again_", admin, nats, natsDir, natsPort, metricsPort, rawPushes);
          // The like-for-like ceiling: the same JWTs pushed raw into a resolver wiped the same way,
          // with the operator stopped so that no sweep shares the server. Twice, as the repairs.
          op.stop();
          List<String> tenantJwts = tenantJwts(admin);
          double wipedRaw = 0;
          for (String key : List.of("ceiling_wiped_", "ceiling_wiped_again_")) {
            stopAndWipe(nats, admin);
            nats = startNats(natsDir, natsPort);
            double rate =
                pipelinedPushRate(
                    admin, nats.url(), tenantJwts, "raw pushes into a wiped resolver");
            report.put(key + "pushes_per_s", round(rate));
            wipedRaw += rate / 2;
          }
          for (String key : List.of("repair_", "repair_again_")) {
            if (report.get(key + "push_rate_per_s") instanceof Number rate) {
              report.put(key + "push_rate_vs_wiped_raw", round(rate.doubleValue() / wipedRaw));
            }
          }
        } finally {
          nats.stop();
        }
      } finally {
        (restarted != null ? restarted : op).stop();
      }
    }
    OUT.println();
    OUT.println("RESULT " + report);
    report.forEach((k, v) -> OUT.printf("%-44s %s%n", k, v));
    return 0;
  }

  /**
   * The chart's finalizer policy, as {@code helm install} creates it on this API server (1.37
   * serves MutatingAdmissionPolicy v1, so the chart's default {@code auto} renders it), rendered by
   * helm-java; {@code FINALIZERS_AT_ADMISSION=disabled} measures without it.
   */
  private static void installFinalizerPolicy(KubernetesClient admin) {
    String yaml =
        new com.marcnuri.helm.Helm(Crds.projectRoot().resolve("charts/nats-account-operator"))
            .template()
            .withName("nao")
            .withNamespace("nats-system")
            .set("finalizersAtAdmission", "enabled")
            .call();
    Object parsed = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(yaml);
    for (Object o : (List<?>) parsed) {
      if (o instanceof HasMetadata h && h.getKind().startsWith("MutatingAdmissionPolicy")) {
        admin.resource(h).create();
      }
    }
    // In effect once a server-side dry run of a create comes back with the finalizer.
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      GenericKubernetesResource probe = new GenericKubernetesResource();
      probe.setApiVersion(GROUP + "/v1alpha1");
      probe.setKind("Account");
      probe.setMetadata(new ObjectMetaBuilder().withName("probe").withNamespace("default").build());
      probe.setAdditionalProperty(
          "spec", Map.of("operatorRef", Map.of("name", "main", "namespace", "nats")));
      GenericKubernetesResource answer =
          admin.genericKubernetesResources(context("Account")).resource(probe).dryRun().create();
      List<String> finalizers = answer.getMetadata().getFinalizers();
      if (finalizers != null && finalizers.contains("accounts." + GROUP + "/finalizer")) {
        log("finalizer policy in effect");
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new IllegalStateException("the finalizer policy did not take effect within 60 s");
  }

  // ---- ceilings
  // --------------------------------------------------------------------------------------------------

  /**
   * Creates as many ConfigMaps as the tenants have resources, with the same parallel client: the
   * API's write rate.
   */
  private double bareWriteRate(KubernetesClient admin) throws Exception {
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("bare").endMetadata().build())
        .create();
    int count = tenants * RESOURCES_PER_TENANT;
    List<HasMetadata> objects = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      objects.add(
          new ConfigMapBuilder()
              .withNewMetadata()
              .withName("cm-" + i)
              .withNamespace("bare")
              .endMetadata()
              .addToData("k", "v")
              .build());
    }
    CpuSnapshot before = CpuSnapshot.take();
    long t0 = System.nanoTime();
    applyAll(admin, objects);
    double seconds = (System.nanoTime() - t0) / 1e9;
    report.put("cpu_s_of_bare_client_writes", CpuSnapshot.take().since(before));
    log(String.format("bare client: %d writes in %.1f s", count, seconds));
    admin.namespaces().withName("bare").delete();
    return count / seconds;
  }

  /**
   * Raw pipelined pushes of fresh account JWTs signed by the operator's signing key, as one bare
   * client would.
   */
  private double rawPushRate(KubernetesClient admin, String url, int count) throws Exception {
    var secret = admin.secrets().inNamespace("nats").withName(Names.operatorKeys("main")).get();
    KeyPair signer = KeyPair.fromSeed(KeySecrets.read(secret, "signing-1").orElseThrow());
    List<String> jwts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      KeyPair acct = KeyPair.create(KeyType.ACCOUNT);
      jwts.add(
          JwtEncoder.encode(
              AccountClaims.builder("raw-" + i, acct.publicKey()).build(),
              signer,
              IssuedAt.next(0)));
    }
    return pipelinedPushRate(admin, url, jwts, "raw pipelined pushes");
  }

  /**
   * The tenants' own account JWTs, as their statuses hold them. Pushed again to a server that holds
   * them they measure nothing: a resolver skips a JWT whose ID it already stores, without writing.
   */
  private static List<String> tenantJwts(KubernetesClient admin) {
    return admin.resources(Account.class).inAnyNamespace().list().getItems().stream()
        .filter(a -> a.getStatus() != null && a.getStatus().getJwt() != null)
        .map(a -> a.getStatus().getJwt())
        .toList();
  }

  private double pipelinedPushRate(
      KubernetesClient admin, String url, List<String> jwts, String what) throws Exception {
    String creds =
        new String(
            java.util.Base64.getDecoder()
                .decode(
                    admin
                        .secrets()
                        .inNamespace("nats")
                        .withName(Names.systemCreds("main"))
                        .get()
                        .getData()
                        .get("user.creds")),
            StandardCharsets.UTF_8);
    try (Connection c = SystemConnection.connect(List.of(url), creds, "scale-bench-raw")) {
      long t0 = System.nanoTime();
      List<CompletableFuture<Message>> replies = new ArrayList<>();
      for (String jwt : jwts) {
        replies.add(c.request("$SYS.REQ.CLAIMS.UPDATE", jwt.getBytes(StandardCharsets.UTF_8)));
      }
      int ok = 0;
      for (CompletableFuture<Message> r : replies) {
        if (new String(r.get(60, TimeUnit.SECONDS).getData(), StandardCharsets.UTF_8)
            .contains("\"code\":200")) {
          ok++;
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      log(String.format("%s: %d (%d acknowledged) in %.2f s", what, jwts.size(), ok, seconds));
      return ok / seconds;
    }
  }

  // ---- convergence
  // -----------------------------------------------------------------------------------------------

  private void converge(KubernetesClient admin, OperatorJvm op, int metricsPort, double rawPushes)
      throws Exception {
    Map<String, Double> apiBefore = apiWrites(admin);
    Map<String, Double> opBefore = scrape(metricsPort);
    double cpuBefore = op.cpuSeconds();
    Map<String, Double> threadsBefore = op.cpuByThreadGroup();
    long threadsStartedBefore = op.threadsStarted();
    List<HasMetadata> namespaces = new ArrayList<>();
    List<HasMetadata> resources = new ArrayList<>();
    for (int i = 0; i < tenants; i++) {
      namespaces.add(
          new NamespaceBuilder().withNewMetadata().withName(ns(i)).endMetadata().build());
      resources.addAll(tenant(i));
    }
    applyAll(admin, namespaces);
    long ready;
    long lastApply;
    long pushesStart;
    CpuSnapshot machineBefore;
    // READY_WAIT=list: the wait of the runs before 2026-12-01, kept to measure what it cost.
    boolean listing = "list".equals(System.getenv("READY_WAIT"));
    try (ReadyWatch watch = listing ? null : ReadyWatch.start(admin)) {
      machineBefore = CpuSnapshot.take();
      long t0 = System.nanoTime();
      applyAll(admin, resources);
      lastApply = System.nanoTime();
      log(
          String.format(
              "applied %d resources in %.1f s", resources.size(), (lastApply - t0) / 1e9));
      pushesStart = System.nanoTime();
      if (listing) {
        awaitAllReadyByListing(admin, resources.size(), Duration.ofMinutes(30));
      } else {
        awaitAllReady(watch, resources.size(), Duration.ofMinutes(30));
      }
      ready = System.nanoTime();
    }
    report.put("cpu_s_from_first_apply_to_all_ready", CpuSnapshot.take().since(machineBefore));
    double seconds = (ready - lastApply) / 1e9;

    Map<String, Double> apiAfter = apiWrites(admin);
    Map<String, Double> opAfter = scrape(metricsPort);
    double cpu = op.cpuSeconds() - cpuBefore;
    // The bench's own creates (its namespaces and resources) left out.
    double writes = sum(apiAfter) - sum(apiBefore) - namespaces.size() - resources.size();
    double events =
        byResource(apiBefore, apiAfter).entrySet().stream()
            .filter(e -> e.getKey().startsWith("events "))
            .mapToLong(Map.Entry::getValue)
            .sum();
    double signed = delta(opBefore, opAfter, "nats_operator_jwt_signed_total");
    double pushes = delta(opBefore, opAfter, "nats_operator_resolver_pushes_total");
    int accounts = tenants;
    // The fewest the topology allows: each account, user and granted activation signed once; each
    // account pushed once; per resource one status write and (without the finalizer policy) one
    // finalizer patch, plus the Secrets that must exist (account keys, two creds, one activation
    // per
    // tenant).
    double minSigns = accounts + 2.0 * tenants + tenants;
    double finalizerWrites =
        Boolean.TRUE.equals(report.get("finalizers_at_admission")) ? 0 : resources.size();
    double minWrites = resources.size() + finalizerWrites + 4.0 * tenants;
    report.put("time_last_apply_to_all_ready_s", round(seconds));
    report.put(
        "bare_client_time_for_same_writes_s",
        round(writes / (double) report.get("ceiling_api_writes_per_s")));
    report.put("operator_cpu_s", round(cpu));
    report.put("operator_cpu_ms_per_resource", round(1000 * cpu / resources.size()));
    report.put("operator_cpu_s_by_thread_group", cpuDelta(threadsBefore, op.cpuByThreadGroup()));
    report.put("operator_threads_started", op.threadsStarted() - threadsStartedBefore);
    report.put("jwt_signs", signed);
    report.put("jwt_signs_vs_min", round(signed / minSigns));
    report.put("pushes", pushes);
    report.put("pushes_per_account_vs_min_1", round(pushes / accounts));
    report.put("api_writes_by_operator", writes);
    report.put("api_writes_of_which_events", events);
    report.put("api_writes_by_resource", byResource(apiBefore, apiAfter));
    report.put(
        "status_writes_by_kind_and_ready_reason", byLabels(opBefore, opAfter, STATUS_WRITES));
    Map<String, Long> reconciles = byLabels(opBefore, opAfter, RECONCILES);
    report.put("reconciles_by_kind", reconciles);
    report.put("wakeups_by_kind_and_from", byLabels(opBefore, opAfter, WAKEUPS));
    report.put(
        "reconciles_per_resource",
        round(
            reconciles.values().stream().mapToLong(Long::longValue).sum()
                / (double) resources.size()));
    report.put("api_writes_per_resource", round(writes / resources.size()));
    report.put("api_writes_vs_min", round(writes / minWrites));
    double pushRate = pushes / ((ready - pushesStart) / 1e9);
    report.put("push_rate_during_convergence_per_s", round(pushRate));
    report.put("push_rate_vs_raw", round(pushRate / rawPushes));
    report.put("heap_after_gc_mib", op.heapAfterGcMiB());
    report.put("rss_mib", op.rssMiB());
    Files.writeString(work.resolve("heap-histogram.txt"), op.jcmd("GC.class_histogram"));
  }

  /** The groups that used at least 0.1 s, most first, rounded. */
  private static Map<String, Double> cpuDelta(
      Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
        .filter(e -> e.getValue() >= 0.1)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> out.put(e.getKey(), round(e.getValue())));
    return out;
  }

  private void steadyAndRestart(
      KubernetesClient admin, OperatorJvm op, Path jar, Path kubeconfig, int metricsPort)
      throws Exception {
    Map<String, Double> api0 = apiWrites(admin);
    Map<String, Double> op0 = scrape(metricsPort);
    log("quiet for " + quiet.toSeconds() + " s");
    Thread.sleep(quiet.toMillis());
    Map<String, Double> api1 = apiWrites(admin);
    Map<String, Double> op1 = scrape(metricsPort);
    report.put("steady_signs", delta(op0, op1, "nats_operator_jwt_signed_total"));
    report.put("steady_pushes", delta(op0, op1, "nats_operator_resolver_pushes_total"));
    report.put("steady_api_writes", sum(api1) - sum(api0));
    report.put("steady_api_writes_by_resource", byResource(api0, api1));

    op.stop();
    Map<String, Double> api2 = apiWrites(admin);
    restarted =
        OperatorJvm.start(jar, kubeconfig, metricsPort, work.resolve("operator-restarted.log"));
    long t0 = System.nanoTime();
    awaitMetricsUp(metricsPort);
    // Let the new instance reconcile everything once: wait until its reconcile counter stops moving
    // for 20 s.
    double last = -1;
    long stableSince = System.nanoTime();
    while (System.nanoTime() - stableSince < 20_000_000_000L) {
      Thread.sleep(2000);
      double lookups = sum(scrape(metricsPort));
      if (lookups != last) {
        last = lookups;
        stableSince = System.nanoTime();
      }
    }
    Map<String, Double> op3 = scrape(metricsPort);
    Map<String, Double> api3 = apiWrites(admin);
    report.put("restart_settled_s", round((System.nanoTime() - t0) / 1e9 - 20));
    report.put("restart_signs", op3.getOrDefault("nats_operator_jwt_signed_total", 0.0));
    report.put("restart_pushes", op3.getOrDefault("nats_operator_resolver_pushes_total", 0.0));
    report.put("restart_lookups", op3.getOrDefault(LOOKUPS, 0.0));
    report.put("restart_api_writes", sum(api3) - sum(api2));
    report.put("restart_api_writes_by_resource", byResource(api2, api3));
  }

  private OperatorJvm restarted;

  private NatsServerProcess repair(
      String key,
      KubernetesClient admin,
      NatsServerProcess nats,
      Path dir,
      int port,
      int metricsPort,
      double rawPushes)
      throws Exception {
    Map<String, Double> before = scrape(metricsPort);
    Path jwtDir = Path.of(resolverDir(admin));
    stopAndWipe(nats, admin);
    long t0 = System.nanoTime();
    NatsServerProcess again = startNats(dir, port);
    // Every tenant account back in the resolver directory (one .jwt file per account, plus the
    // system account).
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    long count = 0;
    while (System.nanoTime() < deadline) {
      try (var files = Files.list(jwtDir)) {
        count = files.filter(f -> f.toString().endsWith(".jwt")).count();
      }
      if (count >= tenants + 1) {
        break;
      }
      Thread.sleep(200);
    }
    report.put(
        key + "wiped_resolver_s",
        count >= tenants + 1 ? round((System.nanoTime() - t0) / 1e9) : "not repaired");
    report.put(key + "accounts_back", count - 1);
    // The sweep after the reconnect: its pushes against the raw pipelined rate of step 4. Read once
    // the metrics stop moving (the sweep's time is recorded when it ends).
    Map<String, Double> after = scrape(metricsPort);
    for (int i = 0; i < 50; i++) {
      Thread.sleep(200);
      Map<String, Double> next = scrape(metricsPort);
      if (next.equals(after)) {
        break;
      }
      after = next;
    }
    double pushes = delta(before, after, "nats_operator_resolver_pushes_total");
    double sweepSeconds = delta(before, after, SWEEP_SECONDS);
    report.put(key + "pushes", pushes);
    report.put(key + "lookups", delta(before, after, LOOKUPS));
    report.put(key + "sweep_s", round(sweepSeconds));
    if (sweepSeconds > 0) {
      report.put(key + "push_rate_per_s", round(pushes / sweepSeconds));
      report.put(key + "push_rate_vs_raw", round(pushes / sweepSeconds / rawPushes));
    }
    return again;
  }

  /** Stops nats-server and deletes every file of its resolver directory. */
  private void stopAndWipe(NatsServerProcess nats, KubernetesClient admin) throws IOException {
    nats.stop();
    try (var files = Files.list(Path.of(resolverDir(admin)))) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  // ---- the tenants
  // -----------------------------------------------------------------------------------------------

  static String ns(int i) {
    return String.format("t%05d", i);
  }

  private int ring(int i) {
    return (i + tenants) % tenants;
  }

  List<HasMetadata> tenant(int i) {
    String ns = ns(i);
    String prev = ns(ring(i - 1));
    String next = ns(ring(i + 1));
    List<HasMetadata> out = new ArrayList<>();
    out.add(
        cr(
            "Account",
            ns,
            "acct",
            Map.of("operatorRef", Map.of("name", "main", "namespace", "nats"))));
    out.add(cr("User", ns, "u1", Map.of("accountRef", Map.of("name", "acct"))));
    out.add(cr("User", ns, "u2", Map.of("accountRef", Map.of("name", "acct"))));
    out.add(
        cr(
            "ServiceExport",
            ns,
            "svc",
            Map.of("accountRef", Map.of("name", "acct"), "subject", ns + ".svc")));
    out.add(
        cr(
            "ServiceExport",
            ns,
            "priv",
            Map.of(
                "accountRef",
                Map.of("name", "acct"),
                "subject",
                ns + ".priv",
                "private",
                true,
                "grants",
                List.of(Map.of("account", Map.of("name", "acct", "namespace", next))))));
    out.add(
        cr(
            "StreamExport",
            ns,
            "events",
            Map.of("accountRef", Map.of("name", "acct"), "subject", ns + ".events.>")));
    out.add(
        cr(
            "ServiceImport",
            ns,
            "svc-in",
            Map.of(
                "accountRef",
                Map.of("name", "acct"),
                "from",
                Map.of("exportRef", Map.of("name", "svc", "namespace", prev)))));
    out.add(
        cr(
            "ServiceImport",
            ns,
            "priv-in",
            Map.of(
                "accountRef",
                Map.of("name", "acct"),
                "from",
                Map.of("exportRef", Map.of("name", "priv", "namespace", prev)))));
    out.add(
        cr(
            "StreamImport",
            ns,
            "events-in",
            Map.of(
                "accountRef",
                Map.of("name", "acct"),
                "from",
                Map.of("exportRef", Map.of("name", "events", "namespace", next)))));
    return out;
  }

  static GenericKubernetesResource cr(
      String kind, String ns, String name, Map<String, Object> spec) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(GROUP + "/v1alpha1");
    r.setKind(kind);
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    r.setAdditionalProperty("spec", spec);
    return r;
  }

  static ResourceDefinitionContext context(String kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(GROUP)
        .withVersion("v1alpha1")
        .withKind(kind)
        .withPlural(kind.toLowerCase() + "s")
        .withNamespaced(true)
        .build();
  }

  private void applyAll(KubernetesClient admin, List<HasMetadata> objects) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (HasMetadata o : objects) {
        done.add(
            pool.submit(
                () -> {
                  if (o instanceof GenericKubernetesResource g) {
                    admin
                        .genericKubernetesResources(context(g.getKind()))
                        .inNamespace(g.getMetadata().getNamespace())
                        .resource(g)
                        .create();
                  } else {
                    admin.resource(o).create();
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The kinds the bench waits on: all but the Operator, which is Ready before the tenants come. */
  static final List<String> TENANT_KINDS =
      List.of("Account", "User", "ServiceExport", "StreamExport", "ServiceImport", "StreamImport");

  /**
   * Which tenant resources are Ready, kept by one watch per kind, as {@code kubectl wait} would.
   * The bench used to LIST all of them every second: at N = 1,000 each pass read 9,000 objects from
   * etcd and through the API server while both shared the two cores with the operator, so the wait
   * itself slowed what it measured.
   */
  static final class ReadyWatch implements AutoCloseable {
    private final Map<String, Boolean> ready = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger count =
        new java.util.concurrent.atomic.AtomicInteger();
    private final List<io.fabric8.kubernetes.client.informers.SharedIndexInformer<?>> informers =
        new ArrayList<>();

    static ReadyWatch start(KubernetesClient admin) {
      ReadyWatch w = new ReadyWatch();
      for (String kind : TENANT_KINDS) {
        w.informers.add(
            admin
                .genericKubernetesResources(context(kind))
                .inAnyNamespace()
                .inform(
                    new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
                      @Override
                      public void onAdd(GenericKubernetesResource r) {
                        w.set(kind, r, isReady(r));
                      }

                      @Override
                      public void onUpdate(
                          GenericKubernetesResource old, GenericKubernetesResource r) {
                        w.set(kind, r, isReady(r));
                      }

                      @Override
                      public void onDelete(GenericKubernetesResource r, boolean unknown) {
                        w.set(kind, r, false);
                      }
                    }));
      }
      return w;
    }

    private void set(String kind, GenericKubernetesResource r, boolean isReady) {
      Boolean was =
          ready.put(
              kind + "/" + r.getMetadata().getNamespace() + "/" + r.getMetadata().getName(),
              isReady);
      int change = (isReady ? 1 : 0) - (Boolean.TRUE.equals(was) ? 1 : 0);
      if (change != 0) {
        count.addAndGet(change);
      }
    }

    int ready() {
      return count.get();
    }

    @Override
    public void close() {
      informers.forEach(io.fabric8.kubernetes.client.informers.SharedIndexInformer::close);
    }
  }

  private static void awaitAllReady(ReadyWatch watch, int expected, Duration limit)
      throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (watch.ready() >= expected) {
        log("all " + expected + " Ready");
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        "only " + watch.ready() + " of " + expected + " Ready after " + limit);
  }

  /** Every tenant resource listed once a second until all are Ready. */
  private static void awaitAllReadyByListing(KubernetesClient admin, int expected, Duration limit)
      throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    int ready = 0;
    while (System.nanoTime() < deadline) {
      ready = 0;
      for (String kind : TENANT_KINDS) {
        for (GenericKubernetesResource r :
            admin.genericKubernetesResources(context(kind)).inAnyNamespace().list().getItems()) {
          if (isReady(r)) {
            ready++;
          }
        }
      }
      if (ready >= expected) {
        log("all " + expected + " Ready");
        return;
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException("only " + ready + " of " + expected + " Ready after " + limit);
  }

  @SuppressWarnings("unchecked")
  static boolean isReady(GenericKubernetesResource r) {
    Object status = r.getAdditionalProperties().get("status");
    if (!(status instanceof Map<?, ?> s) || !(s.get("conditions") instanceof List<?> conditions)) {
      return false;
    }
    for (Object c : conditions) {
      Map<String, Object> m = (Map<String, Object>) c;
      if ("Ready".equals(m.get("type"))) {
        return "True".equals(m.get("status"));
      }
    }
    return false;
  }

  // ---- the operator's Operator and nats-server
  // -------------------------------------------------------------------

  private void createOperator(KubernetesClient admin, int natsPort) {
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("nats").endMetadata().build())
        .create();
    admin
        .genericKubernetesResources(context("Operator"))
        .inNamespace("nats")
        .resource(
            cr(
                "Operator",
                "nats",
                "main",
                Map.of(
                    "servers",
                    List.of("nats://127.0.0.1:" + natsPort),
                    "resolver",
                    Map.of(
                        "type",
                        "full",
                        "dir",
                        work.resolve("jwt").toString(),
                        "allowDelete",
                        true))))
        .create();
  }

  private String resolverDir(KubernetesClient admin) {
    return work.resolve("jwt").toString();
  }

  private String awaitResolverConf(KubernetesClient admin) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      var cm = admin.configMaps().inNamespace("nats").withName(Names.serverConfig("main")).get();
      if (cm != null && cm.getData() != null && cm.getData().containsKey("resolver.conf")) {
        return cm.getData().get("resolver.conf");
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the operator wrote no resolver.conf in 60 s");
  }

  private void awaitOperatorReady(KubernetesClient admin) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      var op =
          admin
              .genericKubernetesResources(context("Operator"))
              .inNamespace("nats")
              .withName("main")
              .get();
      if (op != null && isReady(op)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("Operator nats/main not Ready in 60 s");
  }

  private static NatsServerProcess startNats(Path dir, int port) {
    return NatsServerProcess.builder(dir)
        .port(port)
        .serverName("scale")
        .config("include resolver.conf\n")
        .readyTimeout(Duration.ofMinutes(2))
        .start();
  }

  // ---- metrics
  // ---------------------------------------------------------------------------------------------------

  private static final String STATUS_WRITES = "nats_operator_status_writes_total";
  private static final String RECONCILES = "nats_operator_reconciliations_total";
  private static final String WAKEUPS = "nats_operator_wakeups_total";

  private static String label(String labels, String name) {
    Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(labels);
    return m.find() ? m.group(1) : "";
  }

  private static final String LOOKUPS = "nats_operator_resolver_lookups_total";
  private static final String SWEEP_SECONDS = "nats_operator_resolver_sweep_duration_seconds_sum";

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? ([0-9.eE+-]+)$");

  /** The operator's counters summed over their labels. */
  static Map<String, Double> scrape(int port) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    Map<String, Double> out = new LinkedHashMap<>();
    for (String line : r.body().split("\n")) {
      Matcher m = SAMPLE.matcher(line.trim());
      if (m.matches() && m.group(1).equals(SWEEP_SECONDS)) {
        out.merge(m.group(1), Double.parseDouble(m.group(3)), Double::sum);
      }
      if (m.matches() && m.group(1).startsWith("nats_operator_") && m.group(1).endsWith("_total")) {
        out.merge(m.group(1), Double.parseDouble(m.group(3)), Double::sum);
        if (m.group(1).equals(RECONCILES) && m.group(2) != null) {
          // By kind: how many times each kind's resources were reconciled (CPU goes per reconcile).
          out.merge(
              RECONCILES + " " + label(m.group(2), "kind"),
              Double.parseDouble(m.group(3)),
              Double::sum);
        }
        if (m.group(1).equals(WAKEUPS) && m.group(2) != null) {
          // Which changes of other objects asked for reconciles of which kind.
          out.merge(
              WAKEUPS + " " + label(m.group(2), "kind") + " from " + label(m.group(2), "from"),
              Double.parseDouble(m.group(3)),
              Double::sum);
        }
        if (m.group(1).equals(STATUS_WRITES) && m.group(2) != null) {
          // By kind and Ready reason too: which statuses are written more than once.
          out.merge(
              STATUS_WRITES + " " + label(m.group(2), "kind") + " " + label(m.group(2), "reason"),
              Double.parseDouble(m.group(3)),
              Double::sum);
        }
      }
    }
    return out;
  }

  /** Mutating requests the API server answered, by resource (apiserver_request_total). */
  static Map<String, Double> apiWrites(KubernetesClient admin) {
    String text = admin.raw("/metrics");
    Map<String, Double> out = new LinkedHashMap<>();
    Pattern verb = Pattern.compile("verb=\"(POST|PUT|PATCH|DELETE|APPLY|CREATE|UPDATE)\"");
    Pattern resource = Pattern.compile("resource=\"([^\"]*)\"");
    Pattern sub = Pattern.compile("subresource=\"([^\"]*)\"");
    for (String line : text.split("\n")) {
      if (!line.startsWith("apiserver_request_total{")) {
        continue;
      }
      Matcher v = verb.matcher(line);
      Matcher res = resource.matcher(line);
      Matcher m = SAMPLE.matcher(line.trim());
      // kube-apiserver renews its own identity Leases every 10 s; the operator runs without leader
      // election here. Access reviews are POSTs that store nothing: the operator's start-up
      // permission check asks one per verb.
      if (v.find()
          && res.find()
          && m.matches()
          && !line.contains("dry_run=\"All\"")
          && !res.group(1).equals("leases")
          && !res.group(1).endsWith("reviews")) {
        Matcher sr = sub.matcher(line);
        String key =
            res.group(1)
                + (sr.find() && !sr.group(1).isEmpty() ? "/" + sr.group(1) : "")
                + " "
                + v.group(1);
        out.merge(key, Double.parseDouble(m.group(3)), Double::sum);
      }
    }
    return out;
  }

  /** The increase of one counter of ours by its labels (as {@link #scrape} keys them). */
  private static Map<String, Long> byLabels(
      Map<String, Double> before, Map<String, Double> after, String counter) {
    Map<String, Long> out = new java.util.TreeMap<>();
    byResource(before, after)
        .forEach(
            (k, v) -> {
              if (k.startsWith(counter + " ")) {
                out.put(k.substring(counter.length() + 1), v);
              }
            });
    return out;
  }

  private static Map<String, Long> byResource(
      Map<String, Double> before, Map<String, Double> after) {
    Map<String, Long> out = new java.util.TreeMap<>();
    after.forEach(
        (k, v) -> {
          long d = Math.round(v - before.getOrDefault(k, 0.0));
          if (d != 0) {
            out.put(k, d);
          }
        });
    return out;
  }

  private static double sum(Map<String, Double> m) {
    return m.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String name) {
    return after.getOrDefault(name, 0.0) - before.getOrDefault(name, 0.0);
  }

  private static void awaitMetricsUp(int port) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      try {
        scrape(port);
        return;
      } catch (Exception e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("operator metrics not up on " + port);
  }

  static double round(double d) {
    return Math.round(d * 100) / 100.0;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static void log(String s) {
    OUT.printf("[%tT] %s%n", System.currentTimeMillis(), s);
  }

  /**
   * CPU seconds of the machine and of the processes sharing it: the API server, etcd, the bench
   * itself (its client and watches) and the operator. Convergence is CPU-bound on two cores, so
   * these say who used them, and how much of them was left idle.
   */
  record CpuSnapshot(
      long machineBusyTicks,
      long machineTotalTicks,
      double apiServer,
      double etcd,
      double bench,
      double nats,
      double operator) {
    static CpuSnapshot take() throws IOException {
      // /proc/stat "cpu user nice system idle iowait irq softirq steal ...": idle and iowait are
      // the unused time.
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new CpuSnapshot(
          total - idle,
          total,
          descendantsCpu("kube-apiserver"),
          descendantsCpu("etcd"),
          processCpu(ProcessHandle.current().pid()),
          descendantsCpu("nats-server"),
          // The operator is the bench's only child JVM.
          descendantsCpu("java"));
    }

    /** Per user of the CPU, and the machine's use of its cores, since {@code before}. */
    Map<String, Double> since(CpuSnapshot before) {
      double machine = (machineBusyTicks - before.machineBusyTicks) / 100.0;
      Map<String, Double> users = new LinkedHashMap<>();
      users.put("kube_apiserver", apiServer - before.apiServer);
      users.put("etcd", etcd - before.etcd);
      users.put("nats_server", nats - before.nats);
      users.put("bench", bench - before.bench);
      users.put("operator", operator - before.operator);
      double known = users.values().stream().mapToDouble(Double::doubleValue).sum();
      Map<String, Double> out = new LinkedHashMap<>();
      out.put("machine", round(machine));
      out.put(
          "machine_busy_share",
          round(
              (double) (machineBusyTicks - before.machineBusyTicks)
                  / (machineTotalTicks - before.machineTotalTicks)));
      users.forEach((who, seconds) -> out.put(who, round(seconds)));
      out.put("everything_else", round(machine - known));
      return out;
    }

    private static double descendantsCpu(String command) {
      return ProcessHandle.current()
          .descendants()
          .filter(
              p ->
                  p.info()
                      .command()
                      .map(c -> Path.of(c).getFileName().toString().equals(command))
                      .orElse(false))
          .mapToDouble(p -> processCpu(p.pid()))
          .sum();
    }

    private static double processCpu(long pid) {
      try {
        return OperatorJvm.cpuSecondsOf(Files.readString(Path.of("/proc/" + pid + "/stat")));
      } catch (IOException gone) {
        return 0;
      }
    }
  }

  /**
   * The operator as users run it: {@code java -jar nats-account-operator.jar run}, a process of its
   * own.
   */
  record OperatorJvm(Process process, Path log) {
    static OperatorJvm start(Path jar, Path kubeconfig, int metricsPort, Path log)
        throws IOException {
      List<String> command = new ArrayList<>(List.of("java"));
      // e.g. -XX:StartFlightRecording=filename=op.jfr,settings=profile to profile the operator, or
      // "-XX:+UseSerialGC -Xmx307m" for the JVM of the chart's default pod (a 512Mi limit makes the
      // JVM pick the serial collector; the image gives 60% of it to the heap)
      String extra = System.getenv("OPERATOR_JAVA_OPTS");
      if (extra == null || !extra.matches(".*-XX:\\+Use\\w*GC.*")) {
        command.add("-XX:+UseG1GC");
      }
      if (extra != null && !extra.isBlank()) {
        command.addAll(List.of(extra.trim().split("\\s+")));
      }
      command.addAll(List.of("-jar", jar.toString(), "run"));
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("KUBECONFIG", kubeconfig.toString());
      pb.environment().put("METRICS_PORT", String.valueOf(metricsPort));
      pb.environment().put("RESYNC_INTERVAL", "PT10M");
      return new OperatorJvm(pb.start(), log);
    }

    double cpuSeconds() throws IOException {
      return cpuSecondsOf(Files.readString(Path.of("/proc/" + process.pid() + "/stat")));
    }

    /** utime + stime of a /proc stat line (fields 14 and 15; USER_HZ is 100 on Linux). */
    static double cpuSecondsOf(String stat) {
      String[] f = stat.substring(stat.lastIndexOf(") ") + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    /**
     * CPU seconds per thread group (the thread's name with digits dropped, as the kernel keeps it:
     * 15 characters), to tell JIT compilers and GC from the operator's own threads; threads that
     * ended are not listed.
     */
    Map<String, Double> cpuByThreadGroup() throws IOException {
      Map<String, Double> out = new java.util.TreeMap<>();
      try (var tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
        for (Path task : tasks.toList()) {
          String stat;
          try {
            stat = Files.readString(task.resolve("stat"));
          } catch (IOException gone) {
            continue;
          }
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          out.merge(name.replaceAll("[0-9]+", "#").trim(), cpuSecondsOf(stat), Double::sum);
        }
      }
      return out;
    }

    long rssMiB() throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
      return -1;
    }

    /** Heap in use right after a full GC (jcmd GC.run, then GC.heap_info). */
    long heapAfterGcMiB() throws Exception {
      jcmd("GC.run");
      // G1: "garbage-first heap total …K, used …K"; serial and parallel: one line per generation.
      Matcher m =
          Pattern.compile("(?:heap|generation|gen)\\s+total \\d+K, used (\\d+)K")
              .matcher(jcmd("GC.heap_info"));
      long usedK = 0;
      boolean found = false;
      while (m.find()) {
        usedK += Long.parseLong(m.group(1));
        found = true;
      }
      return found ? usedK / 1024 : -1;
    }

    /** Threads the JVM started so far (its java.threads.started counter). */
    long threadsStarted() throws Exception {
      for (String line : jcmd("PerfCounter.print").split("\n")) {
        if (line.startsWith("java.threads.started=")) {
          return Long.parseLong(line.substring(line.indexOf('=') + 1).trim());
        }
      }
      return -1;
    }

    /**
     * A jcmd diagnostic command's output; the histogram after convergence says what holds the heap.
     */
    String jcmd(String command) throws Exception {
      Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
      Process p =
          new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), command)
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(60, TimeUnit.SECONDS);
      return out;
    }

    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
