package dev.nats.accounts.reconciler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Grant;
import dev.nats.accounts.api.v1alpha1.ImportSource;
import dev.nats.accounts.api.v1alpha1.ImportSpec;
import dev.nats.accounts.api.v1alpha1.LocalObjectRef;
import dev.nats.accounts.api.v1alpha1.ObjectRef;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.ServiceImportSpec;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.api.v1alpha1.StreamImport;
import dev.nats.accounts.api.v1alpha1.StreamImportSpec;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.AccountLimits;
import dev.nats.accounts.jwt.Creds;
import dev.nats.accounts.jwt.Import;
import dev.nats.accounts.jwt.IssuedAt;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.jwt.UserClaims;
import dev.nats.accounts.jwt.UserPermissionLimits;
import dev.nats.accounts.nats.ResolverClient;
import dev.nats.accounts.nats.SystemConnection;
import dev.nats.accounts.reconciler.exports.Grants;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.Clients;
import dev.nats.accounts.testing.NatsRequests;
import dev.nats.accounts.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.nats.client.Connection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exports and imports beyond the tutorial's happy path: grants changing on live connections,
 * streams, external accounts, and every import failure reason of api.md, each while the account's
 * other import keeps working.
 */
@EnableKubernetesMockClient(crud = true)
class ExportImportTest {
  KubernetesClient client;
  @TempDir Path dir;
  OperatorHarness h;

  @BeforeEach
  void start() throws Exception {
    h = OperatorHarness.start(client, dir);
    h.applyManifests(Path.of("examples", "seed-tutorial"));
    h.awaitReady(ServiceImport.class, "tenant-b", "private-help");
    h.awaitReady(ServiceImport.class, "tenant-b", "help");
    h.awaitReady(User.class, "tenant-b", "b");
    h.awaitReady(User.class, "tenant-a", "u");
  }

  @AfterEach
  void stop() {
    h.close();
  }

  static ServiceImport serviceImport(
      String ns, String name, String account, String exportNs, String export) {
    ServiceImport i = new ServiceImport();
    i.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    ServiceImportSpec spec = new ServiceImportSpec();
    fill(spec, account, exportNs, export);
    i.setSpec(spec);
    return i;
  }

  static StreamImport streamImport(
      String ns, String name, String account, String exportNs, String export) {
    StreamImport i = new StreamImport();
    i.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    StreamImportSpec spec = new StreamImportSpec();
    fill(spec, account, exportNs, export);
    i.setSpec(spec);
    return i;
  }

  private static void fill(ImportSpec spec, String account, String exportNs, String export) {
    LocalObjectRef acct = new LocalObjectRef();
    acct.setName(account);
    spec.setAccountRef(acct);
    ImportSource from = new ImportSource();
    ObjectRef ref = new ObjectRef();
    ref.setName(export);
    ref.setNamespace(exportNs);
    from.setExportRef(ref);
    spec.setFrom(from);
  }

  private String creds(String ns, String user) {
    return h.secretValue(
        ns, h.get(User.class, ns, user).getStatus().getCredsSecretName(), "user.creds");
  }

  private void assertHelpStillWorksFor(String ns, String user) throws Exception {
    try (Connection responder = h.connect(creds("tenant-a", "u"), null);
        Connection requester = h.connect(creds(ns, user), null)) {
      Clients.respond(responder, "help", "I will help");
      assertEquals(
          NatsRequests.Outcome.reply("I will help"),
          NatsRequests.request(requester, "help", "me"),
          "the account's other import keeps working");
    }
  }

  @Test
  void grantsAddedAndRemovedTakeEffectOnLiveConnections() throws Exception {
    h.create(Fixtures.account("tenant-c", "c"));
    h.create(Fixtures.user("tenant-c", "c", "c"));
    h.create(serviceImport("tenant-c", "help", "c", "tenant-a", "help"));
    ServiceImport priv = serviceImport("tenant-c", "private-help", "c", "tenant-a", "private-help");
    priv.getSpec().setLocalSubject("private.help");
    h.create(priv);
    ServiceImport refused =
        h.awaitCondition(
            ServiceImport.class,
            "tenant-c",
            "private-help",
            ConditionType.READY,
            Conditions.FALSE,
            Reason.NOT_GRANTED);
    assertTrue(
        Conditions.find(refused.getStatus().getConditions(), ConditionType.READY)
            .get()
            .getMessage()
            .contains("spec.grants"));
    h.awaitReady(User.class, "tenant-c", "c");
    h.awaitReady(ServiceImport.class, "tenant-c", "help");
    Account c =
        h.awaitCondition(
            Account.class,
            "tenant-c",
            "c",
            ConditionType.READY,
            Conditions.FALSE,
            Reason.IMPORTS_UNRESOLVED);
    assertTrue(
        Conditions.isTrue(c.getStatus().getConditions(), ConditionType.PUSHED),
        "the account is pushed without the bad import");
    String cKey = c.getStatus().getPublicKey();

    try (Connection responder = h.connect(creds("tenant-a", "u"), null);
        Connection cConn = h.connect(creds("tenant-c", "c"), null)) {
      Clients.respond(responder, "help", "I will help");
      Clients.respond(responder, "private.help.*", "help is here");
      assertEquals(
          NatsRequests.Outcome.reply("I will help"), NatsRequests.request(cConn, "help", "me"));
      assertEquals(
          NatsRequests.Outcome.NO_RESPONDERS, NatsRequests.request(cConn, "private.help", "me"));

      String aIssued = h.get(Account.class, "tenant-a", "a").getStatus().getIssuedAt();
      String bIssued = h.get(Account.class, "tenant-b", "b").getStatus().getIssuedAt();
      ServiceExport export = h.get(ServiceExport.class, "tenant-a", "private-help");
      List<Grant> grants = new ArrayList<>(export.getSpec().getGrants());
      grants.add(Fixtures.grantTo("tenant-c", "c"));
      export.getSpec().setGrants(grants);
      h.updateSpec(export);
      h.awaitReady(ServiceImport.class, "tenant-c", "private-help");
      // A new grant changes only the grantee's JWT: the exporter's claims and b's token are
      // untouched.
      assertEquals(
          aIssued,
          h.get(Account.class, "tenant-a", "a").getStatus().getIssuedAt(),
          "exporter not re-signed");
      assertEquals(
          bIssued,
          h.get(Account.class, "tenant-b", "b").getStatus().getIssuedAt(),
          "other importer not re-signed");
      await()
          .atMost(OperatorHarness.WAIT)
          .until(
              () ->
                  NatsRequests.request(cConn, "private.help", "me")
                      .equals(NatsRequests.Outcome.reply("help is here")));

      export = h.get(ServiceExport.class, "tenant-a", "private-help");
      export.getSpec().setGrants(List.of(Fixtures.grantTo("tenant-b", "b")));
      h.updateSpec(export);
      await()
          .atMost(OperatorHarness.WAIT)
          .until(
              () ->
                  NatsRequests.request(cConn, "private.help", "me")
                      .equals(NatsRequests.Outcome.NO_RESPONDERS));
      h.awaitCondition(
          ServiceImport.class,
          "tenant-c",
          "private-help",
          ConditionType.READY,
          Conditions.FALSE,
          Reason.NOT_GRANTED);
      // The export's own reconcile (revocation, token Secret deleted) runs beside the importer's:
      // wait for it.
      await()
          .atMost(OperatorHarness.WAIT)
          .until(
              () -> {
                ServiceExport after = h.get(ServiceExport.class, "tenant-a", "private-help");
                return after.getStatus().getRevocations() != null
                    && after.getStatus().getRevocations().containsKey(cKey);
              });
      assertNull(
          client
              .secrets()
              .inNamespace("tenant-a")
              .withName(Grants.secretName("private-help", cKey))
              .get());
      await()
          .atMost(OperatorHarness.WAIT)
          .until(
              () -> {
                var exportClaim =
                    JwtDecoder.decode(h.get(Account.class, "tenant-a", "a").getStatus().getJwt())
                        .payload()
                        .path("nats")
                        .path("exports");
                boolean revokedInJwt = false;
                for (var e : exportClaim) {
                  revokedInJwt |= e.path("revocations").has(cKey);
                }
                return revokedInJwt; // the exporter's JWT revokes the grantee
              });
    }
    assertHelpStillWorksFor("tenant-b", "b");
  }

  @Test
  void streamExportsArriveUnderTheLocalSubject() throws Exception {
    h.create(Fixtures.streamExport("tenant-a", "events", "a", "events.>"));
    StreamImport i = streamImport("tenant-b", "events", "b", "tenant-a", "events");
    i.getSpec().setLocalSubject("from-a.events.>");
    h.create(i);
    h.awaitReady(StreamExport.class, "tenant-a", "events");
    h.awaitReady(StreamImport.class, "tenant-b", "events");
    try (Connection pub = h.connect(creds("tenant-a", "u"), null);
        Connection sub = h.connect(creds("tenant-b", "b"), null)) {
      AtomicReference<String> got = new AtomicReference<>();
      sub.createDispatcher(
              m -> got.set(m.getSubject() + "=" + new String(m.getData(), StandardCharsets.UTF_8)))
          .subscribe("from-a.events.>");
      sub.flush(Duration.ofSeconds(2));
      await()
          .atMost(OperatorHarness.WAIT)
          .until(
              () -> {
                pub.publish("events.order.created", "42".getBytes(StandardCharsets.UTF_8));
                pub.flush(Duration.ofSeconds(1));
                return "from-a.events.order.created=42".equals(got.get());
              });
    }
  }

  @Test
  void anExternalGrantsTokenWorksInAnAccountSignedElsewhere() throws Exception {
    // An account the operator does not manage: keys and JWT made by hand, signed with the
    // operator's signing key.
    KeyPair x = KeyPair.create(KeyType.ACCOUNT);
    KeyPair xSigner = KeyPair.create(KeyType.ACCOUNT);
    ServiceExport export = h.get(ServiceExport.class, "tenant-a", "private-help");
    Grant g = new Grant();
    g.setPublicKey(x.publicKey());
    g.setSubject("private.help." + x.publicKey());
    List<Grant> grants = new ArrayList<>(export.getSpec().getGrants());
    grants.add(g);
    export.getSpec().setGrants(grants);
    h.updateSpec(export);
    String secretName = Grants.secretName("private-help", x.publicKey());
    String token =
        await()
            .atMost(OperatorHarness.WAIT)
            .until(() -> h.secretValue("tenant-a", secretName, "activation.jwt"), t -> t != null);

    String aKey = h.get(Account.class, "tenant-a", "a").getStatus().getPublicKey();
    KeyPair operatorSigner =
        KeyPair.fromSeed(h.secretValue("nats", Names.operatorKeys("main"), "signing-1"));
    AccountClaims claims =
        AccountClaims.builder("X", x.publicKey())
            .limits(AccountLimits.UNLIMITED)
            .addSigningKey(xSigner.publicKey())
            .addImport(
                new Import(
                    "private-help",
                    "private.help." + x.publicKey(),
                    aKey,
                    token,
                    "private.help",
                    dev.nats.accounts.jwt.ExportType.SERVICE,
                    false))
            .build();
    String accountJwt = JwtEncoder.encode(claims, operatorSigner, IssuedAt.next(0));
    String sysCreds = h.secretValue("nats", Names.systemCreds("main"), "user.creds");
    try (Connection sys = SystemConnection.connect(List.of(h.url()), sysCreds, "test")) {
      assertTrue(new ResolverClient(sys).push(accountJwt).allAcknowledged());
    }
    KeyPair user = KeyPair.create(KeyType.USER);
    String userJwt =
        JwtEncoder.encode(
            UserClaims.of("x-user", user.publicKey(), UserPermissionLimits.UNLIMITED)
                .withIssuerAccount(x.publicKey()),
            xSigner,
            IssuedAt.next(0));
    try (Connection responder = h.connect(creds("tenant-a", "u"), null);
        Connection xConn = h.connect(Creds.format(userJwt, user.seed()), null)) {
      Clients.respond(responder, "private.help.*", "help is here");
      assertEquals(
          NatsRequests.Outcome.reply("help is here"),
          NatsRequests.request(xConn, "private.help", "me"));
    }
  }

  /** One bad import per api.md reason, added to account b beside its working imports. */
  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(Reason.EXPORT_NOT_FOUND, "spec.from.exportRef"),
        Arguments.of(Reason.TYPE_MISMATCH, "is a ServiceExport"),
        Arguments.of(Reason.SUBJECT_NOT_IN_EXPORT, "spec.subject"),
        Arguments.of(Reason.SELF_IMPORT, "own export"),
        Arguments.of(Reason.OPERATOR_MISMATCH, "Operator"),
        Arguments.of(Reason.LOCAL_SUBJECT_CONFLICT, "overlaps"),
        Arguments.of(Reason.NOT_GRANTED, "spec.grants"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void eachImportFailureIsReportedWhileTheAccountsOtherImportsKeepWorking(
      Reason reason, String messagePart) throws Exception {
    String ns = "tenant-b";
    String account = "b";
    CustomResource<?, ?> bad;
    switch (reason) {
      case EXPORT_NOT_FOUND ->
          bad = serviceImport(ns, "bad", account, "tenant-a", "no-such-export");
      case TYPE_MISMATCH -> bad = streamImport(ns, "bad", account, "tenant-a", "help");
      case SUBJECT_NOT_IN_EXPORT -> {
        ServiceImport i = serviceImport(ns, "bad", account, "tenant-a", "help");
        i.getSpec().setSubject("elsewhere");
        i.getSpec().setLocalSubject("elsewhere");
        bad = i;
      }
      case SELF_IMPORT -> {
        ns = "tenant-a";
        account = "a";
        ServiceImport i = serviceImport(ns, "bad", account, "tenant-a", "help");
        i.getSpec().setLocalSubject("self.help");
        bad = i;
      }
      case OPERATOR_MISMATCH -> {
        Operator other = new Operator();
        other.setMetadata(new ObjectMetaBuilder().withName("other").withNamespace("nats2").build());
        other.setSpec(new dev.nats.accounts.api.v1alpha1.OperatorSpec());
        h.create(other);
        h.create(Fixtures.account("tenant-z", "z", "nats2", "other"));
        h.create(Fixtures.serviceExport("tenant-z", "zhelp", "z", "zhelp"));
        await()
            .atMost(OperatorHarness.WAIT)
            .until(
                () -> {
                  Account cur = h.get(Account.class, "tenant-z", "z");
                  return cur.getStatus() != null && cur.getStatus().getPublicKey() != null;
                });
        bad = serviceImport(ns, "bad", account, "tenant-z", "zhelp");
      }
      case LOCAL_SUBJECT_CONFLICT -> {
        ServiceImport i = serviceImport(ns, "help2", account, "tenant-a", "private-help");
        i.getSpec().setLocalSubject("help");
        bad = i;
      }
      default -> {
        h.create(Fixtures.account("tenant-c", "c"));
        h.create(Fixtures.user("tenant-c", "c", "c"));
        ns = "tenant-c";
        account = "c";
        h.create(serviceImport(ns, "help", account, "tenant-a", "help"));
        bad = serviceImport(ns, "bad", account, "tenant-a", "private-help");
      }
    }
    h.create(bad);
    @SuppressWarnings("unchecked")
    Class<CustomResource<?, ?>> kind = (Class<CustomResource<?, ?>>) bad.getClass();
    CustomResource<?, ?> reported =
        h.awaitCondition(
            kind, ns, bad.getMetadata().getName(), ConditionType.READY, Conditions.FALSE, reason);
    var ready =
        Conditions.find(
                ((dev.nats.accounts.api.v1alpha1.BaseStatus) reported.getStatus()).getConditions(),
                ConditionType.READY)
            .get();
    assertTrue(ready.getMessage().contains(messagePart), ready.getMessage());
    String finalNs = ns;
    String badName = bad.getMetadata().getName();
    await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () ->
                client.v1().events().inNamespace(finalNs).list().getItems().stream()
                    .anyMatch(
                        e ->
                            reason.value().equals(e.getReason())
                                && "Warning".equals(e.getType())
                                && badName.equals(e.getInvolvedObject().getName())));
    Account acct =
        h.awaitCondition(
            Account.class,
            ns,
            account,
            ConditionType.IMPORTS_RESOLVED,
            Conditions.FALSE,
            Reason.IMPORTS_UNRESOLVED);
    assertTrue(Conditions.isTrue(acct.getStatus().getConditions(), ConditionType.PUSHED));
    if (reason.equals(Reason.NOT_GRANTED)) {
      h.awaitReady(User.class, ns, "c");
      assertHelpStillWorksFor(ns, "c");
    } else if (reason.equals(Reason.SELF_IMPORT)) {
      assertHelpStillWorksFor("tenant-b", "b");
      assertEquals(
          2,
          JwtDecoder.decode(acct.getStatus().getJwt())
              .payload()
              .path("nats")
              .path("exports")
              .size(),
          "a's exports are untouched");
    } else {
      assertHelpStillWorksFor(ns, "b");
    }
  }

  @Test
  void deletingAnExportRemovesTheImportAndMutualImportsConverge() throws Exception {
    // Mutual: b exports "b.help" and a imports it, while b imports a's exports.
    h.create(Fixtures.serviceExport("tenant-b", "bhelp", "b", "b.help"));
    h.create(serviceImport("tenant-a", "bhelp", "a", "tenant-b", "bhelp"));
    h.awaitReady(ServiceImport.class, "tenant-a", "bhelp");
    h.awaitReady(Account.class, "tenant-a", "a");
    h.awaitReady(Account.class, "tenant-b", "b");
    try (Connection bConn = h.connect(creds("tenant-b", "b"), null);
        Connection aConn = h.connect(creds("tenant-a", "u"), null)) {
      Clients.respond(bConn, "b.help", "b helps");
      assertEquals(
          NatsRequests.Outcome.reply("b helps"), NatsRequests.request(aConn, "b.help", "x"));
    }

    client.resource(h.get(ServiceExport.class, "tenant-a", "help")).delete();
    h.awaitCondition(
        ServiceImport.class,
        "tenant-b",
        "help",
        ConditionType.READY,
        Conditions.FALSE,
        Reason.EXPORT_NOT_FOUND);
    await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () -> {
              var imports =
                  JwtDecoder.decode(h.get(Account.class, "tenant-b", "b").getStatus().getJwt())
                      .payload()
                      .path("nats")
                      .path("imports");
              return imports.size() == 1
                  && "private.help".equals(imports.get(0).path("local_subject").asText());
            });
    try (Connection responder = h.connect(creds("tenant-a", "u"), null);
        Connection requester = h.connect(creds("tenant-b", "b"), null)) {
      Clients.respond(responder, "private.help.*", "help is here");
      Clients.respond(responder, "help", "I will help");
      assertEquals(
          NatsRequests.Outcome.NO_RESPONDERS, NatsRequests.request(requester, "help", "me"));
      assertEquals(
          NatsRequests.Outcome.reply("help is here"),
          NatsRequests.request(requester, "private.help", "me"));
    }
  }
}
