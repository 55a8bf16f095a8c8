package dev.nats.accounts.apiserver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.api.v1alpha1.StreamImport;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.ApiServerExtension;
import dev.nats.accounts.testing.Apply;
import dev.nats.accounts.testing.Cli;
import dev.nats.accounts.testing.Crds;
import dev.nats.accounts.testing.GeneratedFiles;
import dev.nats.accounts.testing.Kubectl;
import dev.nats.accounts.testing.OperatorHarness;
import dev.nats.accounts.testing.SeedTutorial;
import dev.nats.accounts.testing.TestBed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Argo CD and Flux (kstatus) make of our resources, computed by their own code on objects of a
 * real run.
 *
 * <p>The run: the seed tutorial plus a stream export and import on a real kube-apiserver with the
 * real operator and nats-server 2.15, then every kind put in every state a GitOps tool meets:
 * Ready; a spec edited while the operator is down (observedGeneration lags generation); created
 * while it is down (no status yet); waiting for something that comes by itself (Pending,
 * NotConnected); failed (a missing reference, a refused import, a lost key Secret). {@code kubectl
 * get nats -A -o json} captures the objects as the API serves them, as Argo CD and Flux read them;
 * they are written to {@code target/gitops-health/} and fed to {@code argocd-health}
 * (docs/argocd/health.lua in gopher-lua, set up as Argo CD sets it up) and to {@code kstatus}
 * (sigs.k8s.io/cli-utils status.Compute). The resulting table is asserted and kept in
 * docs/gitops.md.
 *
 * <p>Also shown with the built kubectl: {@code kubectl wait --for=condition=Ready} returns once
 * resources are Ready and times out on a failed one.
 */
@Tag("apiserver")
class GitOpsHealthApiServerTest {
  @RegisterExtension static final ApiServerExtension API = new ApiServerExtension();
  static final Path OUT = Crds.projectRoot().resolve("target/gitops-health");
  static final List<String> KINDS =
      List.of(
          "Operator",
          "Account",
          "User",
          "ServiceExport",
          "StreamExport",
          "ServiceImport",
          "StreamImport");

  @TempDir Path dir;

  /** The states a GitOps tool meets, in the order of the table's columns. */
  enum State {
    READY("Ready"),
    GENERATION_LAG("spec changed, not yet observed"),
    NO_STATUS("created, not yet reconciled"),
    WAITING("waiting (Pending, NotConnected)"),
    FAILED("failed (reason)");

    final String label;

    State(String label) {
      this.label = label;
    }
  }

  /** One object of the run and the state (and, when reconciled, the Ready reason) it is in. */
  record Sample(State state, String kind, String namespace, String name, Reason reason) {
    String key() {
      return kind + "/" + namespace + "/" + name;
    }
  }

  /** What a tool said about one object. */
  record Verdict(String status, String message) {}

  static final String STREAMS =
      """
      apiVersion: accounts.nats.dev/v1alpha1
      kind: StreamExport
      metadata: {name: events, namespace: tenant-a}
      spec: {accountRef: {name: a}, subject: "events.>"}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: StreamImport
      metadata: {name: events, namespace: tenant-b}
      spec: {accountRef: {name: b}, from: {exportRef: {name: events, namespace: tenant-a}}}
      """;

  /**
   * Waiting: Operator waiting/offline has no server to connect to (NotConnected), and so has its
   * Account; Account waiting/pending belongs to Operator broken/broken, which has no keys, so it
   * and everything on it are Pending. Failed: Operator broken/broken adopts a Secret that does not
   * exist; the rest of namespace broken names an Account or an export that does not exist, or
   * imports a private export without a grant.
   */
  static final String WAITING_AND_FAILED =
      """
      apiVersion: accounts.nats.dev/v1alpha1
      kind: Operator
      metadata: {name: offline, namespace: waiting}
      spec: {servers: ["nats://127.0.0.1:1"]}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: Account
      metadata: {name: unpushed, namespace: waiting}
      spec: {operatorRef: {name: offline, namespace: waiting}}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: Operator
      metadata: {name: broken, namespace: broken}
      spec: {identitySecretRef: {name: wrong-seed}}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: Account
      metadata: {name: pending, namespace: waiting}
      spec: {operatorRef: {name: broken, namespace: broken}}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: User
      metadata: {name: pending, namespace: waiting}
      spec: {accountRef: {name: pending}}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: ServiceExport
      metadata: {name: pending, namespace: waiting}
      spec: {accountRef: {name: pending}, subject: "pending.svc"}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: StreamExport
      metadata: {name: pending, namespace: waiting}
      spec: {accountRef: {name: pending}, subject: "pending.events"}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: ServiceImport
      metadata: {name: pending, namespace: waiting}
      spec: {accountRef: {name: pending}, from: {exportRef: {name: help, namespace: tenant-a}}}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: StreamImport
      metadata: {name: pending, namespace: waiting}
      spec: {accountRef: {name: pending}, from: {exportRef: {name: events, namespace: tenant-a}}}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: Account
      metadata: {name: orphan, namespace: broken}
      spec: {operatorRef: {name: no-such-operator, namespace: nats}}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: User
      metadata: {name: orphan, namespace: broken}
      spec: {accountRef: {name: no-such-account}}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: ServiceExport
      metadata: {name: orphan, namespace: broken}
      spec: {accountRef: {name: no-such-account}, subject: "orphan.svc"}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: StreamExport
      metadata: {name: orphan, namespace: broken}
      spec: {accountRef: {name: no-such-account}, subject: "orphan.events"}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: Account
      metadata: {name: c, namespace: broken}
      spec: {operatorRef: {name: main, namespace: nats}}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: ServiceImport
      metadata: {name: not-granted, namespace: broken}
      spec: {accountRef: {name: c}, from: {exportRef: {name: private-help, namespace: tenant-a}}}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: StreamImport
      metadata: {name: no-export, namespace: broken}
      spec: {accountRef: {name: c}, from: {exportRef: {name: no-such-export, namespace: tenant-a}}}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: Account
      metadata: {name: lost, namespace: broken}
      spec: {operatorRef: {name: main, namespace: nats}}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: Account
      metadata: {name: scoped, namespace: broken}
      spec:
        operatorRef: {name: main, namespace: nats}
        signingKeys: [{name: default}, {name: apps, role: apps, template: {publish: {allow: ["apps.>"]}}}]
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: User
      metadata: {name: invalid, namespace: broken}
      spec: {accountRef: {name: scoped}, signingKey: apps, permissions: {publish: {allow: ["x"]}}}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: ServiceExport
      metadata: {name: z-overlap, namespace: tenant-a}
      spec: {accountRef: {name: a}, subject: "private.help.>"}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: StreamExport
      metadata: {name: z-overlap, namespace: tenant-a}
      spec: {accountRef: {name: a}, subject: "events.z.>"}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: StreamImport
      metadata: {name: wrong-type, namespace: broken}
      spec: {accountRef: {name: c}, from: {exportRef: {name: help, namespace: tenant-a}}}
      """;

  /** Created while the operator is down: no status at all when captured. */
  static final String FRESH =
      """
      apiVersion: accounts.nats.dev/v1alpha1
      kind: Operator
      metadata: {name: fresh, namespace: fresh}
      spec: {}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: Account
      metadata: {name: fresh, namespace: fresh}
      spec: {operatorRef: {name: main, namespace: nats}}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: User
      metadata: {name: fresh, namespace: fresh}
      spec: {accountRef: {name: fresh}}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: ServiceExport
      metadata: {name: fresh, namespace: fresh}
      spec: {accountRef: {name: fresh}, subject: "fresh.svc"}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: StreamExport
      metadata: {name: fresh, namespace: fresh}
      spec: {accountRef: {name: fresh}, subject: "fresh.events"}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: ServiceImport
      metadata: {name: fresh, namespace: fresh}
      spec: {accountRef: {name: fresh}, from: {exportRef: {name: help, namespace: tenant-a}}}
      ---
      apiVersion: accounts.nats.dev/v1alpha1
      kind: StreamImport
      metadata: {name: fresh, namespace: fresh}
      spec: {accountRef: {name: fresh}, from: {exportRef: {name: events, namespace: tenant-a}}}
      """;

  static final List<Sample> READY =
      List.of(
          new Sample(State.READY, "Operator", "nats", "main", Reason.RECONCILED),
          new Sample(State.READY, "Account", "tenant-a", "a", Reason.RECONCILED),
          new Sample(State.READY, "User", "tenant-a", "u", Reason.RECONCILED),
          new Sample(State.READY, "ServiceExport", "tenant-a", "private-help", Reason.RECONCILED),
          new Sample(State.READY, "StreamExport", "tenant-a", "events", Reason.RECONCILED),
          new Sample(State.READY, "ServiceImport", "tenant-b", "private-help", Reason.RECONCILED),
          new Sample(State.READY, "StreamImport", "tenant-b", "events", Reason.RECONCILED));

  static final List<Sample> WAITING =
      List.of(
          new Sample(State.WAITING, "Operator", "waiting", "offline", Reason.NOT_CONNECTED),
          new Sample(State.WAITING, "Account", "waiting", "unpushed", Reason.NOT_CONNECTED),
          new Sample(State.WAITING, "User", "waiting", "pending", Reason.PENDING),
          new Sample(State.WAITING, "ServiceExport", "waiting", "pending", Reason.PENDING),
          new Sample(State.WAITING, "StreamExport", "waiting", "pending", Reason.PENDING),
          new Sample(State.WAITING, "ServiceImport", "waiting", "pending", Reason.PENDING),
          new Sample(State.WAITING, "StreamImport", "waiting", "pending", Reason.PENDING));

  /**
   * Account waiting/pending is Pending too; the table shows Account unpushed (NotConnected) for
   * that cell.
   */
  static final Sample PENDING_ACCOUNT =
      new Sample(State.WAITING, "Account", "waiting", "pending", Reason.PENDING);

  /** One failure per kind that only a change resolves: kstatus' Failed (Stalled=True). */
  static final List<Sample> FAILED =
      List.of(
          new Sample(State.FAILED, "Operator", "broken", "broken", Reason.INVALID_SEED),
          new Sample(State.FAILED, "Account", "broken", "lost", Reason.SEED_LOST),
          new Sample(State.FAILED, "User", "broken", "invalid", Reason.INVALID_SPEC),
          new Sample(
              State.FAILED, "ServiceExport", "tenant-a", "z-overlap", Reason.SUBJECT_OVERLAP),
          new Sample(State.FAILED, "StreamExport", "tenant-a", "z-overlap", Reason.SUBJECT_OVERLAP),
          new Sample(State.FAILED, "ServiceImport", "broken", "not-granted", Reason.NOT_GRANTED),
          new Sample(State.FAILED, "StreamImport", "broken", "wrong-type", Reason.TYPE_MISMATCH));

  /**
   * Failures that resolve by themselves once what they wait for appears: InProgress to kstatus,
   * Degraded to Argo CD.
   */
  static final List<Sample> MORE_FAILED =
      List.of(
          new Sample(State.FAILED, "Account", "broken", "orphan", Reason.OPERATOR_NOT_FOUND),
          new Sample(State.FAILED, "Account", "broken", "c", Reason.IMPORTS_UNRESOLVED),
          new Sample(State.FAILED, "User", "broken", "orphan", Reason.ACCOUNT_NOT_FOUND),
          new Sample(State.FAILED, "ServiceExport", "broken", "orphan", Reason.ACCOUNT_NOT_FOUND),
          new Sample(State.FAILED, "StreamExport", "broken", "orphan", Reason.ACCOUNT_NOT_FOUND),
          new Sample(State.FAILED, "StreamImport", "broken", "no-export", Reason.EXPORT_NOT_FOUND));

  /** Edited while the operator is down (kubectl patch of the spec: generation + 1). */
  static final List<Sample> LAGGING =
      List.of(
          new Sample(State.GENERATION_LAG, "Operator", "nats", "main", null),
          new Sample(State.GENERATION_LAG, "Account", "tenant-b", "b", null),
          new Sample(State.GENERATION_LAG, "User", "tenant-b", "b", null),
          new Sample(State.GENERATION_LAG, "ServiceExport", "tenant-a", "help", null),
          new Sample(State.GENERATION_LAG, "StreamExport", "tenant-a", "events", null),
          new Sample(State.GENERATION_LAG, "ServiceImport", "tenant-b", "help", null),
          new Sample(State.GENERATION_LAG, "StreamImport", "tenant-b", "events", null));

  static final Map<String, String> LAG_PATCH =
      Map.of(
          "Operator", "{\"spec\":{\"displayName\":\"main-edited\"}}",
          "Account", "{\"spec\":{\"description\":\"edited\"}}",
          "User", "{\"spec\":{\"displayName\":\"B edited\"}}",
          "ServiceExport", "{\"spec\":{\"description\":\"edited\"}}",
          "StreamExport", "{\"spec\":{\"description\":\"edited\"}}",
          "ServiceImport", "{\"spec\":{\"share\":true}}",
          "StreamImport", "{\"spec\":{\"subject\":\"events.>\"}}");

  static final List<Sample> NO_STATUS =
      KINDS.stream().map(k -> new Sample(State.NO_STATUS, k, "fresh", "fresh", null)).toList();

  @Test
  void everyKindInEveryStateAsArgoCdAndKstatusComputeIt() throws Exception {
    Path argocd = TestBed.tool("argocd-health");
    Path kstatus = TestBed.tool("kstatus");
    API.namespaces(SeedTutorial.NAMESPACES);
    API.namespaces("waiting", "broken", "fresh");
    Kubectl kubectl = new Kubectl(dir, API.server().kubeconfig());
    Map<String, JsonNode> captured = new LinkedHashMap<>();
    List<Sample> samples = new ArrayList<>();
    try (OperatorHarness h = OperatorHarness.start(API.client(), dir)) {
      SeedTutorial.applyAndVerify(h);
      apply(h, STREAMS);
      // Operator broken/broken adopts a Secret that holds an account seed where an operator seed
      // belongs.
      h.client()
          .secrets()
          .inNamespace("broken")
          .resource(
              new io.fabric8.kubernetes.api.model.SecretBuilder()
                  .withNewMetadata()
                  .withName("wrong-seed")
                  .withNamespace("broken")
                  .endMetadata()
                  .addToStringData(
                      "seed",
                      dev.nats.accounts.jwt.KeyPair.create(dev.nats.accounts.jwt.KeyType.ACCOUNT)
                          .seed())
                  .build())
          .create();
      apply(h, WAITING_AND_FAILED);
      for (Sample s : concat(READY, WAITING, List.of(PENDING_ACCOUNT), FAILED, MORE_FAILED)) {
        if (!s.key().equals("Account/broken/lost")) {
          awaitReadyReason(h, s);
        }
      }
      // A lost key Secret: Account broken/lost was Ready; its keys Secret is deleted.
      h.awaitReady(Account.class, "broken", "lost");
      h.client().secrets().inNamespace("broken").withName(Names.accountKeys("lost")).delete();
      awaitReadyReason(h, new Sample(State.FAILED, "Account", "broken", "lost", Reason.SEED_LOST));

      captured.putAll(snapshot(kubectl));
      samples.addAll(concat(READY, WAITING, List.of(PENDING_ACCOUNT), FAILED, MORE_FAILED));

      // kubectl wait reads the same Ready condition: it returns for Ready resources and times out
      // on a failed one.
      String waited =
          kubectl.ok(
              "wait",
              "--for=condition=Ready",
              "--timeout=60s",
              "-n",
              "tenant-a",
              "accounts.accounts.nats.dev/a",
              "users.accounts.nats.dev/u",
              "serviceexports.accounts.nats.dev/private-help",
              "streamexports.accounts.nats.dev/events");
      assertTrue(waited.contains("account.accounts.nats.dev/a condition met"), waited);
      assertTrue(waited.contains("streamexport.accounts.nats.dev/events condition met"), waited);
      String all =
          kubectl.ok(
              "wait",
              "--for=condition=Ready",
              "--timeout=60s",
              "--all",
              "-n",
              "tenant-b",
              "accounts.accounts.nats.dev,users.accounts.nats.dev,serviceimports.accounts.nats.dev,streamimports.accounts.nats.dev");
      assertEquals(5, all.lines().filter(l -> l.endsWith("condition met")).count(), all);
      Cli.Result timedOut =
          kubectl.run(
              "wait",
              "--for=condition=Ready",
              "--timeout=3s",
              "-n",
              "broken",
              "users.accounts.nats.dev/orphan");
      assertNotEquals(0, timedOut.exitCode(), timedOut.toString());
      assertTrue(
          timedOut.output().contains("timed out waiting for the condition"), timedOut.toString());
      String failedMet =
          kubectl.ok(
              "wait",
              "--for=condition=Ready=false",
              "--timeout=10s",
              "-n",
              "broken",
              "users.accounts.nats.dev/orphan");
      assertTrue(failedMet.contains("condition met"), failedMet);
      System.out.println(
          "kubectl wait --for=condition=Ready (tenant-a):\n"
              + waited
              + "kubectl wait --all (tenant-b):\n"
              + all
              + "kubectl wait on a failed User:\n"
              + timedOut.output());

      // The operator stops; specs are edited and resources created: generation lags, status is
      // missing.
      h.stopOperator();
      Map<String, Long> generations = new TreeMap<>();
      for (Sample s : LAGGING) {
        kubectl.ok(
            "patch",
            plural(s.kind()),
            s.name(),
            "-n",
            s.namespace(),
            "--type",
            "merge",
            "-p",
            LAG_PATCH.get(s.kind()));
        generations.put(s.key(), generation(h, s));
      }
      apply(h, FRESH);
      Map<String, JsonNode> down = snapshot(kubectl);
      for (Sample s : concat(LAGGING, NO_STATUS)) {
        captured.put(s.state() + ":" + s.key(), down.get(s.key()));
      }
      samples.addAll(concat(LAGGING, NO_STATUS));

      // Back up, the operator observes every edit and reconciles the new resources.
      h.startOperator();
      for (Sample s : LAGGING) {
        await()
            .atMost(OperatorHarness.WAIT)
            .until(() -> observed(h, s), g -> g != null && g.equals(generations.get(s.key())));
      }
      for (String kind : KINDS) {
        awaitReadyReason(h, new Sample(State.READY, kind, "fresh", "fresh", Reason.RECONCILED));
      }
      // What a pipeline runs after applying an edit: wait for the operator to observe it, then for
      // Ready.
      String observedEdit =
          kubectl.ok(
              "wait",
              "--timeout=60s",
              "-n",
              "tenant-b",
              "accounts.accounts.nats.dev/b",
              "--for=jsonpath={.status.observedGeneration}="
                  + generations.get("Account/tenant-b/b"));
      assertTrue(observedEdit.contains("condition met"), observedEdit);
      String readyAgain =
          kubectl.ok(
              "wait",
              "--for=condition=Ready",
              "--timeout=60s",
              "-n",
              "tenant-b",
              "accounts.accounts.nats.dev/b");
      assertTrue(readyAgain.contains("condition met"), readyAgain);
    }

    // The captured objects, one file each, as Argo CD and Flux read them from the API.
    Files.createDirectories(OUT);
    List<Path> files = new ArrayList<>();
    Map<Path, Sample> byFile = new LinkedHashMap<>();
    for (Sample s : samples) {
      JsonNode obj =
          captured.get(
              s.state() == State.GENERATION_LAG || s.state() == State.NO_STATUS
                  ? s.state() + ":" + s.key()
                  : s.key());
      assertTrue(obj != null, "captured " + s);
      Path f =
          OUT.resolve(
              s.state().name().toLowerCase()
                  + "-"
                  + s.kind()
                  + "-"
                  + s.namespace()
                  + "-"
                  + s.name()
                  + ".json");
      Files.writeString(
          f, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(obj));
      files.add(f);
      byFile.put(f, s);
    }
    Map<Sample, Verdict> argo =
        run(argocd, GeneratedFiles.read("docs/argocd/health.lua"), files, byFile);
    Map<Sample, Verdict> kstat = run(kstatus, null, files, byFile);

    List<String> wrong = new ArrayList<>();
    for (Sample s : samples) {
      JsonNode obj =
          captured.get(
              s.state() == State.GENERATION_LAG || s.state() == State.NO_STATUS
                  ? s.state() + ":" + s.key()
                  : s.key());
      expectArgo(s, obj, argo.get(s), wrong);
      expectKstatus(s, kstat.get(s), wrong);
    }
    String table = table(argo, kstat);
    Files.writeString(OUT.resolve("health-table.md"), table + "\n" + details(samples, argo, kstat));
    System.out.println(table + "\n" + details(samples, argo, kstat));
    assertEquals(
        List.of(), wrong, "Argo CD or kstatus disagree with the expected health; table:\n" + table);
    GeneratedFiles.check(
        "docs/gitops.md",
        GeneratedFiles.replaceSection(
            GeneratedFiles.read("docs/gitops.md"), "health-table", table));
  }

  /**
   * Argo CD: Healthy when Ready; Progressing while the operator catches up or waits; Degraded with
   * the message.
   */
  static void expectArgo(Sample s, JsonNode obj, Verdict v, List<String> wrong) {
    String ready = readyMessage(obj);
    boolean ok =
        switch (s.state()) {
          case READY -> v.status().equals("Healthy");
          case GENERATION_LAG ->
              v.status().equals("Progressing")
                  && v.message()
                      .startsWith(
                          "Waiting for the operator to observe generation "
                              + obj.path("metadata").path("generation").asLong());
          case NO_STATUS ->
              v.status().equals("Progressing")
                  && v.message().equals("Waiting for the operator to reconcile");
          case WAITING ->
              v.status().equals("Progressing") && v.message().startsWith(s.reason() + ": ");
          case FAILED ->
              v.status().equals("Degraded")
                  && v.message().startsWith(s.reason() + ": ")
                  && v.message().contains(ready);
        };
    if (!ok) {
      wrong.add("Argo CD " + s + ": " + v);
    }
  }

  /**
   * kstatus: Current when Ready; InProgress while generations differ, the resource waits or fails
   * for a reason that resolves by itself; Failed for a reason only a change resolves
   * (Stalled=True). A resource without status is Current to kstatus (it cannot tell an unreconciled
   * resource from one without conditions); the operator writes a status within its first reconcile.
   */
  static void expectKstatus(Sample s, Verdict v, List<String> wrong) {
    String expected =
        switch (s.state()) {
          case READY, NO_STATUS -> "Current";
          case GENERATION_LAG, WAITING -> "InProgress";
          case FAILED -> s.reason().stalls() ? "Failed" : "InProgress";
        };
    if (!expected.equals(v.status())) {
      wrong.add("kstatus " + s + ": expected " + expected + ", got " + v);
    }
  }

  static String table(Map<Sample, Verdict> argo, Map<Sample, Verdict> kstat) {
    StringBuilder sb = new StringBuilder("| kind |");
    for (State st : State.values()) {
      sb.append(' ').append(st.label).append(" |");
    }
    sb.append("\n| --- |").append(" --- |".repeat(State.values().length)).append('\n');
    for (String kind : KINDS) {
      sb.append("| ").append(kind).append(" |");
      for (State st : State.values()) {
        Sample s =
            argo.keySet().stream()
                .filter(
                    x ->
                        x.kind().equals(kind)
                            && x.state() == st
                            && !x.equals(PENDING_ACCOUNT)
                            && !MORE_FAILED.contains(x))
                .findFirst()
                .orElseThrow();
        sb.append(' ').append(argo.get(s).status()).append(" / ").append(kstat.get(s).status());
        if (s.reason() != null && st != State.READY) {
          sb.append(" (").append(s.reason()).append(')');
        }
        sb.append(" |");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  static String details(
      List<Sample> samples, Map<Sample, Verdict> argo, Map<Sample, Verdict> kstat) {
    StringBuilder sb =
        new StringBuilder("| object | state | Argo CD | kstatus |\n| --- | --- | --- | --- |\n");
    for (Sample s : samples) {
      sb.append("| ")
          .append(s.key())
          .append(" | ")
          .append(s.state().label)
          .append(" | ")
          .append(argo.get(s).status())
          .append(": ")
          .append(argo.get(s).message().replace("|", "\\|"))
          .append(" | ")
          .append(kstat.get(s).status())
          .append(": ")
          .append(kstat.get(s).message().replace("|", "\\|"))
          .append(" |\n");
    }
    return sb.toString();
  }

  /** Runs a harness on the files; its JSON lines mapped back to the samples. */
  private Map<Sample, Verdict> run(
      Path tool, String script, List<Path> files, Map<Path, Sample> byFile) throws IOException {
    List<Object> args = new ArrayList<>();
    if (script != null) {
      args.add(Crds.projectRoot().resolve("docs/argocd/health.lua"));
    }
    args.addAll(files);
    Cli.Result r = Cli.command(tool, args.toArray()).run().assertOk();
    Map<Sample, Verdict> out = new LinkedHashMap<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : r.stdout().lines().toList()) {
      JsonNode n = json.readTree(line);
      out.put(
          byFile.get(Path.of(n.path("file").asText())),
          new Verdict(n.path("status").asText(), n.path("message").asText()));
    }
    assertEquals(files.size(), out.size(), r.toString());
    return out;
  }

  /** Every object in category nats, as kubectl prints it, keyed Kind/namespace/name. */
  private static Map<String, JsonNode> snapshot(Kubectl kubectl) throws IOException {
    JsonNode list =
        new ObjectMapper()
            .readTree(
                kubectl
                    .ok("get", "nats", "-A", "-o", "json")
                    .lines()
                    .dropWhile(l -> !l.startsWith("{"))
                    .reduce("", (a, b) -> a + b + "\n"));
    Map<String, JsonNode> out = new TreeMap<>();
    for (JsonNode item : list.path("items")) {
      out.put(
          item.path("kind").asText()
              + "/"
              + item.path("metadata").path("namespace").asText()
              + "/"
              + item.path("metadata").path("name").asText(),
          item);
    }
    return out;
  }

  private static String readyMessage(JsonNode obj) {
    for (JsonNode c : obj.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        return c.path("message").asText();
      }
    }
    return "";
  }

  private static void apply(OperatorHarness h, String yaml) {
    Apply.yaml(h.client(), yaml);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void awaitReadyReason(OperatorHarness h, Sample s) {
    String status =
        switch (s.state()) {
          case READY -> Conditions.TRUE;
          case WAITING -> Reason.PENDING == s.reason() ? Conditions.UNKNOWN : Conditions.FALSE;
          default -> Conditions.FALSE;
        };
    h.awaitCondition(
        (Class) type(s.kind()),
        s.namespace(),
        s.name(),
        ConditionType.READY,
        status,
        s.state() == State.READY ? null : s.reason());
  }

  private static Long generation(OperatorHarness h, Sample s) {
    return h.get(type(s.kind()), s.namespace(), s.name()).getMetadata().getGeneration();
  }

  private static Long observed(OperatorHarness h, Sample s) {
    var r = h.get(type(s.kind()), s.namespace(), s.name());
    return r.getStatus() instanceof dev.nats.accounts.api.v1alpha1.BaseStatus b
        ? b.getObservedGeneration()
        : null;
  }

  static Class<? extends io.fabric8.kubernetes.client.CustomResource<?, ?>> type(String kind) {
    return switch (kind) {
      case "Operator" -> Operator.class;
      case "Account" -> Account.class;
      case "User" -> User.class;
      case "ServiceExport" -> ServiceExport.class;
      case "StreamExport" -> StreamExport.class;
      case "ServiceImport" -> ServiceImport.class;
      case "StreamImport" -> StreamImport.class;
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private static String plural(String kind) {
    return kind.toLowerCase() + "s.accounts.nats.dev";
  }

  @SafeVarargs
  private static List<Sample> concat(List<Sample>... lists) {
    List<Sample> out = new ArrayList<>();
    for (List<Sample> l : lists) {
      out.addAll(l);
    }
    return out;
  }
}
