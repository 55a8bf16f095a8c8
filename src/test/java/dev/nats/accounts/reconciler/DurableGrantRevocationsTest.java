package dev.nats.accounts.reconciler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.AccountKeyRef;
import dev.nats.accounts.api.v1alpha1.AccountStatus;
import dev.nats.accounts.api.v1alpha1.Grant;
import dev.nats.accounts.api.v1alpha1.ImportSource;
import dev.nats.accounts.api.v1alpha1.LocalObjectRef;
import dev.nats.accounts.api.v1alpha1.SecretKeyRef;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceExportStatus;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.ServiceImportSpec;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.testing.Clients;
import dev.nats.accounts.testing.NatsRequests;
import dev.nats.accounts.testing.NatsRequests.Outcome;
import dev.nats.accounts.testing.OnMockApi;
import dev.nats.accounts.testing.OperatorHarness;
import dev.nats.accounts.testing.SeedTutorial;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.nats.client.Connection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A removed grant stays revoked when everything but the exporter's identity forgets it: the
 * export's status wiped, the export or the exporting Account deleted and applied again (Retain
 * keeps the keys), a restart with the statuses lost meanwhile. Importer B keeps a copy of its
 * activation token and imports with it as an importer outside the cluster would (nothing in the
 * cluster drops that import): only the revocation in A's JWT keeps B out, so a request through that
 * import is the proof. A grant given again afterwards works, and removing it again revokes its
 * token too.
 */
class DurableGrantRevocationsTest extends OnMockApi {
  static final String A = "tenant-a";
  static final String B = "tenant-b";
  static final String EXPORT = "private-help";
  static final String SUBJECT = "private.help.*";

  Connection responder;
  Connection requester;
  String bKey;
  List<Grant> granted;

  @AfterEach
  void closeConnections() throws InterruptedException {
    for (Connection c : new Connection[] {responder, requester}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void aRemovedGrantStaysRevokedWhenTheExportStatusIsWiped() throws Exception {
    grantRemovedWhileBKeepsItsToken();

    wipeExportStatus();
    h.awaitReady(ServiceExport.class, A, EXPORT); // seen by the operator
    Account edit = h.get(Account.class, A, "a");
    edit.getSpec().setDisplayName("A again");
    h.updateSpec(edit);
    awaitAccountJwt(jwt -> "A again".equals(jwt.path("name").asText()));

    assertTheKeptTokenIsRevoked();
    regrantWorksAndRemovingItAgainRevokes();
  }

  @Test
  void aRemovedGrantStaysRevokedWhenTheExportIsDeletedAndAppliedAgain() throws Exception {
    grantRemovedWhileBKeepsItsToken();

    ServiceExport export = h.get(ServiceExport.class, A, EXPORT);
    deleteAndAwaitGone(ServiceExport.class, EXPORT);
    awaitAccountJwt(jwt -> exportClaim(jwt) == null);
    h.create(fresh(export));
    awaitAccountJwt(jwt -> exportClaim(jwt) != null);

    assertTheKeptTokenIsRevoked();
    regrantWorksAndRemovingItAgainRevokes();
  }

  /**
   * Deleting the export ends its grants too: applied again without the grant, it does not let B's
   * kept copy of the token back in.
   */
  @Test
  void aGrantEndedByDeletingTheExportStaysRevokedWhenTheExportIsAppliedAgainWithoutIt()
      throws Exception {
    ServiceExport export = bKeepsACopyOfItsToken();

    deleteAndAwaitGone(ServiceExport.class, EXPORT);
    awaitAccountJwt(jwt -> exportClaim(jwt) == null);
    export.getSpec().setGrants(null);
    h.create(fresh(export));
    awaitAccountJwt(jwt -> exportClaim(jwt) != null);

    assertTheKeptTokenIsRevoked();
    regrantWorksAndRemovingItAgainRevokes();
  }

  /**
   * A grantee revoked once and granted again holds a token issued after that revocation: deleting
   * the export must end that token too, not stop at finding the grantee already revoked.
   */
  @Test
  void aRegrantedTokenEndedByDeletingTheExportStaysRevokedWhenTheExportIsAppliedAgain()
      throws Exception {
    grantRemovedWhileBKeepsItsToken();
    ServiceExport export = h.get(ServiceExport.class, A, EXPORT);
    export.getSpec().setGrants(granted);
    h.updateSpec(export);
    await().atMost(OperatorHarness.WAIT).until(() -> answered("private.help"));
    String token = currentToken();
    long issued = JwtDecoder.decode(token).issuedAt();
    importWithACopyOfTheToken("kept-again", token);
    await().atMost(OperatorHarness.WAIT).until(() -> answered("kept-again.help"));

    export = h.get(ServiceExport.class, A, EXPORT);
    deleteAndAwaitGone(ServiceExport.class, EXPORT);
    awaitAccountJwt(jwt -> exportClaim(jwt) == null);
    export.getSpec().setGrants(null);
    h.create(fresh(export));
    awaitAccountJwt(jwt -> exportClaim(jwt) != null);

    assertTrue(
        revokedInJwt() >= issued,
        "A's JWT revokes B at " + revokedInJwt() + ", the kept token was issued at " + issued);
    assertEquals(
        noResponders(),
        NatsRequests.request(requester, "kept-again.help", "me"),
        "B's copy of the re-granted token does not get through");
  }

  @Test
  void aRemovedGrantStaysRevokedWhenTheAccountAndExportAreDeletedAndAppliedAgain()
      throws Exception {
    grantRemovedWhileBKeepsItsToken();

    // kubectl delete -f, then apply -f: the Account (deletionPolicy Retain) and its export.
    Account account = h.get(Account.class, A, "a");
    String identity = account.getStatus().getPublicKey();
    ServiceExport export = h.get(ServiceExport.class, A, EXPORT);
    client.resources(ServiceExport.class).inNamespace(A).withName(EXPORT).delete();
    deleteAndAwaitGone(Account.class, "a");
    await().atMost(OperatorHarness.WAIT).until(() -> h.get(ServiceExport.class, A, EXPORT) == null);
    h.create(fresh(account));
    h.create(fresh(export));
    awaitAccountJwt(jwt -> exportClaim(jwt) != null);
    assertEquals(
        identity,
        h.get(Account.class, A, "a").getStatus().getPublicKey(),
        "the same identity, retained");

    assertTheKeptTokenIsRevoked();
    regrantWorksAndRemovingItAgainRevokes();
  }

  @Test
  void aRemovedGrantStaysRevokedAcrossARestartWithTheStatusesLost() throws Exception {
    grantRemovedWhileBKeepsItsToken();

    // Restored from a backup without status while the operator was down.
    h.stopOperator();
    wipeExportStatus();
    client
        .resources(Account.class)
        .inNamespace(A)
        .withName("a")
        .editStatus(
            a -> {
              a.setStatus(new AccountStatus());
              return a;
            });
    h.startOperator();
    awaitAccountJwt(jwt -> exportClaim(jwt) != null);

    assertTheKeptTokenIsRevoked();
    regrantWorksAndRemovingItAgainRevokes();
  }

  /**
   * The tutorial; B copies its activation token into a Secret of its own and imports with it
   * (kept.help), which works while it is granted; then the grant is removed and it stops working.
   */
  private void grantRemovedWhileBKeepsItsToken() throws Exception {
    ServiceExport export = bKeepsACopyOfItsToken();
    export.getSpec().setGrants(null);
    h.updateSpec(export);
    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> NatsRequests.request(requester, "kept.help", "me").equals(noResponders()));
    // The servers have A's JWT before its status does.
    await().atMost(OperatorHarness.WAIT).until(() -> revokedInJwt() > 0);
  }

  /**
   * The tutorial; B copies its activation token into a Secret of its own and imports with it
   * (kept.help), which works while it is granted.
   */
  private ServiceExport bKeepsACopyOfItsToken() throws Exception {
    SeedTutorial.applyAndVerify(h);
    bKey = h.get(Account.class, B, "b").getStatus().getPublicKey();
    responder = h.connect(h.secretValue(A, "u-creds", "user.creds"), null);
    requester = h.connect(h.secretValue(B, "b-creds", "user.creds"), null);
    Clients.respond(responder, SUBJECT, "help is here");
    ServiceExport export = h.get(ServiceExport.class, A, EXPORT);
    granted = export.getSpec().getGrants();
    importWithACopyOfTheToken("kept", currentToken());
    await().atMost(OperatorHarness.WAIT).until(() -> answered("kept.help"));
    return export;
  }

  /**
   * Checked on a JWT A signed and pushed after the status or resources were lost: it still revokes
   * B, and B's copy of the old token does not get through.
   */
  private void assertTheKeptTokenIsRevoked() throws Exception {
    assertEquals(
        noResponders(),
        NatsRequests.request(requester, "kept.help", "me"),
        "B's copy of the revoked token does not get through");
    assertTrue(revokedInJwt() > 0, "A's JWT still revokes B on the export");
    assertTrue(
        StoredRevocations.Exports.parse(
                h.secretValue(A, Names.accountKeys("a"), StoredRevocations.EXPORTS_ENTRY))
            .of("service", SUBJECT)
            .containsKey(bKey),
        "kept with A's identity");
  }

  /**
   * Granted again: the new token works (issued after the revocation) while the old copy stays
   * revoked; B keeps a copy of the new one too, and removing the grant again revokes that one.
   */
  private void regrantWorksAndRemovingItAgainRevokes() throws Exception {
    ServiceExport export = h.get(ServiceExport.class, A, EXPORT);
    export.getSpec().setGrants(granted);
    h.updateSpec(export);
    h.awaitReady(ServiceImport.class, B, EXPORT);
    await().atMost(OperatorHarness.WAIT).until(() -> answered("private.help"));
    assertEquals(noResponders(), NatsRequests.request(requester, "kept.help", "me"));
    String token = currentToken();
    long issued = JwtDecoder.decode(token).issuedAt();
    importWithACopyOfTheToken("kept-again", token);
    await().atMost(OperatorHarness.WAIT).until(() -> answered("kept-again.help"));

    export = h.get(ServiceExport.class, A, EXPORT);
    export.getSpec().setGrants(null);
    h.updateSpec(export);
    try {
      await()
          .atMost(OperatorHarness.WAIT)
          .until(
              () ->
                  NatsRequests.request(requester, "kept-again.help", "me").equals(noResponders()));
      await().atMost(OperatorHarness.WAIT).until(() -> revokedInJwt() >= issued);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "the re-granted token (iat "
              + issued
              + ") is still not revoked: "
              + revocationState()
              + "; B's request through kept-again.help: "
              + NatsRequests.request(requester, "kept-again.help", "me"),
          e);
    }
  }

  /** Where each step of revoking B on A's export stands, for a test that times out. */
  private String revocationState() {
    ServiceExport export = h.get(ServiceExport.class, A, EXPORT);
    Account a = h.get(Account.class, A, "a");
    return "export status "
        + (export == null ? "<gone>" : Serialization.asJson(export.getStatus()))
        + "; stored with A's keys "
        + h.secretValue(A, Names.accountKeys("a"), StoredRevocations.EXPORTS_ENTRY)
        + "; A's JWT revokes B at "
        + revokedInJwt()
        + ", Pushed "
        + (a == null || a.getStatus() == null
            ? "<no status>"
            : Conditions.find(a.getStatus().getConditions(), ConditionType.PUSHED)
                .map(c -> c.getStatus() + " " + c.getReason() + " " + c.getMessage())
                .orElse("<none>"));
  }

  private String currentToken() {
    ServiceExport export =
        await()
            .atMost(OperatorHarness.WAIT)
            .until(
                () -> h.get(ServiceExport.class, A, EXPORT),
                e -> e.getStatus() != null && e.getStatus().getActivations() != null);
    return h.secretValue(
        A, export.getStatus().getActivations().get(0).getSecretName(), "activation.jwt");
  }

  /** A Secret of B's with a copy of the token, and an import by A's key that uses it. */
  private void importWithACopyOfTheToken(String name, String token) {
    String aKey = h.get(Account.class, A, "a").getStatus().getPublicKey();
    h.create(
        new SecretBuilder()
            .withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(B).build())
            .addToData(
                "activation.jwt",
                Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)))
            .build());
    ServiceImport i = new ServiceImport();
    i.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(B).build());
    ServiceImportSpec spec = new ServiceImportSpec();
    LocalObjectRef b = new LocalObjectRef();
    b.setName("b");
    spec.setAccountRef(b);
    ImportSource from = new ImportSource();
    AccountKeyRef exporter = new AccountKeyRef();
    exporter.setPublicKey(aKey);
    from.setAccount(exporter);
    from.setSubject("private.help." + bKey);
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName(name);
    from.setTokenSecretRef(ref);
    spec.setFrom(from);
    spec.setLocalSubject(name + ".help");
    i.setSpec(spec);
    h.create(i);
    h.awaitReady(ServiceImport.class, B, name);
  }

  private boolean answered(String subject) throws InterruptedException {
    return NatsRequests.request(requester, subject, "me").equals(Outcome.reply("help is here"));
  }

  private static Outcome noResponders() {
    return Outcome.NO_RESPONDERS;
  }

  /** When A's current JWT revokes B on the export, 0 if it does not. */
  private long revokedInJwt() {
    JsonNode export = exportClaim(accountJwt(h.get(Account.class, A, "a")));
    return export == null ? 0 : export.path("revocations").path(bKey).asLong(0);
  }

  private void wipeExportStatus() {
    client
        .resources(ServiceExport.class)
        .inNamespace(A)
        .withName(EXPORT)
        .editStatus(
            e -> {
              e.setStatus(new ServiceExportStatus());
              return e;
            });
  }

  private <T extends io.fabric8.kubernetes.client.CustomResource<?, ?>> void deleteAndAwaitGone(
      Class<T> type, String name) {
    client.resources(type).inNamespace(A).withName(name).delete();
    try {
      await().atMost(OperatorHarness.WAIT).until(() -> h.get(type, A, name) == null);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // Seen in CI before the cleanups removed their finalizer themselves (see Finalizers): the
      // message says what holds the resource.
      T left = h.get(type, A, name);
      throw new AssertionError(
          type.getSimpleName()
              + " "
              + name
              + " not gone: finalizers "
              + (left == null ? null : left.getMetadata().getFinalizers())
              + ", deletionTimestamp "
              + (left == null ? null : left.getMetadata().getDeletionTimestamp())
              + ", status "
              + (left == null ? null : Serialization.asJson(left.getStatus()))
              + ", events "
              + client.v1().events().inNamespace(A).list().getItems().stream()
                  .filter(ev -> name.equals(ev.getInvolvedObject().getName()))
                  .map(ev -> ev.getReason() + ": " + ev.getMessage())
                  .toList(),
          e);
    }
  }

  /** The resource as it was applied: its metadata name and namespace, and its spec. */
  private static <T extends io.fabric8.kubernetes.client.CustomResource<?, ?>> T fresh(T was) {
    was.setMetadata(
        new ObjectMetaBuilder()
            .withName(was.getMetadata().getName())
            .withNamespace(was.getMetadata().getNamespace())
            .build());
    was.setStatus(null);
    return was;
  }

  /** Waits until A carries a pushed JWT that satisfies {@code p}. */
  private void awaitAccountJwt(Predicate<JsonNode> p) {
    await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () -> h.get(Account.class, A, "a"),
            a ->
                a != null
                    && a.getStatus() != null
                    && a.getStatus().getJwt() != null
                    && Conditions.isTrue(a.getStatus().getConditions(), ConditionType.PUSHED)
                    && p.test(accountJwt(a)));
  }

  private static JsonNode accountJwt(Account a) {
    return JwtDecoder.decode(a.getStatus().getJwt()).payload();
  }

  private static JsonNode exportClaim(JsonNode accountJwt) {
    for (JsonNode e : accountJwt.path("nats").path("exports")) {
      if (SUBJECT.equals(e.path("subject").asText())) {
        return e;
      }
    }
    return null;
  }
}
