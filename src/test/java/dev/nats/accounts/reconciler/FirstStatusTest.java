package dev.nats.accounts.reconciler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.reconciler.exports.Grants;
import dev.nats.accounts.reconciler.user.CredsSecrets;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.OnMockApi;
import dev.nats.accounts.testing.OperatorHarness;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Resources applied together, the way a GitOps tool or {@code kubectl apply -f dir} does: each is
 * first reconciled before what it references is ready, and its first status, a wait, is held back
 * ({@link PendingHold}) until the wait ends, so each writes its status once, Ready. A wait that
 * lasts is still shown (GitOpsHealthApiServerTest sees every kind Pending, on a real API server).
 * Before the hold, a User wrote "waiting for Account keys" and then Ready, and an import "waiting
 * for Account to carry this import" and then Ready.
 */
class FirstStatusTest extends OnMockApi {

  @Test
  void accountsUsersExportsAndImportsAppliedTogetherEachWriteOneStatus() {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(StatusWriter.class))
        .setLevel(ch.qos.logback.classic.Level.DEBUG);
    // The importer first, the exporter last: every reference is to something not yet reconciled.
    h.create(ExportImportTest.serviceImport("first-b", "help", "b", "first-a", "help"));
    h.create(Fixtures.user("first-b", "u", "b"));
    h.create(Fixtures.account("first-b", "b"));
    h.create(Fixtures.serviceExport("first-a", "help", "a", "help"));
    h.create(Fixtures.user("first-a", "u", "a"));
    h.create(Fixtures.account("first-a", "a"));

    h.awaitReady(Account.class, "first-a", "a");
    h.awaitReady(Account.class, "first-b", "b");
    h.awaitReady(User.class, "first-a", "u");
    h.awaitReady(User.class, "first-b", "u");
    h.awaitReady(ServiceExport.class, "first-a", "help");
    h.awaitReady(ServiceImport.class, "first-b", "help");

    var metrics = h.metrics();
    assertEquals(0, metrics.statusWrites("User", "Pending"), "no User wrote a wait");
    assertEquals(2, metrics.statusWrites("User", "Reconciled"));
    assertEquals(0, metrics.statusWrites("ServiceExport", "Pending"));
    assertEquals(1, metrics.statusWrites("ServiceExport", "Reconciled"));
    assertEquals(0, metrics.statusWrites("ServiceImport", "Pending"));
    assertEquals(0, metrics.statusWrites("ServiceImport", "ExportNotFound"));
    assertEquals(1, metrics.statusWrites("ServiceImport", "Reconciled"));
    assertEquals(
        3,
        metrics.signed("account"),
        "the Operator's system account, and each Account once (with its imports)");
    assertEquals(0, metrics.statusWrites("Account", "ImportsUnresolved"));
  }

  /**
   * An Account waits for its imports before its first push, and its User's first status ("creds
   * issued, waiting for the push") is held meanwhile. Deleted then, the User has issued creds whose
   * key no status names: its cleanup writes the key first, and the Account revokes it before the
   * creds Secret goes.
   */
  @Test
  void aUserDeletedWhileItsFirstStatusIsHeldIsRevoked() {
    // The exporter's Account never gets keys (no such Operator): the import waits for it.
    h.create(Fixtures.account("first-d", "a", "nats", "no-such-operator"));
    h.create(Fixtures.serviceExport("first-d", "help", "a", "help"));
    h.create(ExportImportTest.serviceImport("first-e", "help", "b", "first-d", "help"));
    h.create(Fixtures.account("first-e", "b"));
    await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () -> h.get(Account.class, "first-e", "b"),
            b -> b.getStatus() != null && b.getStatus().getPublicKey() != null);
    assertEquals(null, h.get(Account.class, "first-e", "b").getStatus().getJwt(), "not pushed");

    h.create(Fixtures.user("first-e", "u", "b"));
    String seed =
        await()
            .atMost(OperatorHarness.WAIT)
            .until(
                () -> h.secretValue("first-e", Names.userCreds("u"), CredsSecrets.SEED),
                java.util.Objects::nonNull);
    String key = KeyPair.fromSeed(seed).publicKey();
    User held = h.get(User.class, "first-e", "u");
    assertTrue(
        held.getStatus() == null || held.getStatus().getPublicKey() == null,
        "the User's first status is held: no key in it yet");
    client.resources(User.class).inNamespace("first-e").withName("u").delete();

    await().atMost(OperatorHarness.WAIT).until(() -> h.get(User.class, "first-e", "u") == null);
    Account b = h.get(Account.class, "first-e", "b");
    assertTrue(
        b.getStatus().getRevocations() != null && b.getStatus().getRevocations().containsKey(key),
        "the Account revokes the key of the creds issued");
    assertTrue(
        JwtDecoder.decode(b.getStatus().getJwt())
            .payload()
            .path("nats")
            .path("revocations")
            .has(key),
        "in the JWT it pushed");
    assertEquals(null, h.secretValue("first-e", Names.userCreds("u"), CredsSecrets.SEED));
  }

  /** The hold ends: a reference that stays missing is reported, with its Warning Event, once. */
  @Test
  void aReferenceThatStaysMissingIsReportedWhenTheHoldEnds() {
    h.create(Fixtures.user("first-c", "u", "never"));
    User u =
        h.awaitCondition(
            User.class,
            "first-c",
            "u",
            ConditionType.READY,
            Conditions.FALSE,
            Reason.ACCOUNT_NOT_FOUND);
    assertTrue(
        Conditions.find(u.getStatus().getConditions(), ConditionType.READY)
            .orElseThrow()
            .getMessage()
            .contains("spec.accountRef"));
    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> h.events("User", "first-c", "u", Reason.ACCOUNT_NOT_FOUND.value()) == 1);
    assertEquals(1, h.metrics().statusWrites("User", "AccountNotFound"));
  }

  /**
   * A private export's first status carries its activations, which every reader also finds in the
   * token Secrets: it is held like any wait, so the export writes one status, Ready, and the
   * grantee's import resolves from the Secret meanwhile.
   */
  @Test
  void aPrivateExportAndItsGranteeAppliedTogetherEachWriteOneStatus() {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(StatusWriter.class))
        .setLevel(ch.qos.logback.classic.Level.DEBUG);
    ServiceImport imp =
        ExportImportTest.serviceImport("first-q", "private-help", "b", "first-p", "ph");
    imp.getSpec().setLocalSubject("private.help");
    h.create(imp);
    h.create(Fixtures.account("first-q", "b"));
    h.create(privateExport("first-p", "a", "first-q", "b"));
    h.create(Fixtures.account("first-p", "a"));

    h.awaitReady(Account.class, "first-p", "a");
    h.awaitReady(Account.class, "first-q", "b");
    ServiceExport ready = h.awaitReady(ServiceExport.class, "first-p", "ph");
    h.awaitReady(ServiceImport.class, "first-q", "private-help");

    assertEquals(1, ready.getStatus().getActivations().size(), "the activation is listed");
    var metrics = h.metrics();
    assertEquals(0, metrics.statusWrites("ServiceExport", "Pending"), "no wait written");
    assertEquals(1, metrics.statusWrites("ServiceExport", "Reconciled"));
    assertEquals(1, metrics.signed("activation"));
  }

  /**
   * A grantee's Account that has no key yet is something on its way: the export waits (Ready
   * Unknown, Pending, held while new, then shown), with no Warning Event, as for any other wait.
   */
  @Test
  void aGranteeWithoutItsKeyYetIsAWaitNotAFailure() {
    h.create(Fixtures.account("first-k", "x", "nats", "no-such-operator"));
    h.create(Fixtures.account("first-j", "a"));
    h.create(privateExport("first-j", "a", "first-k", "x"));

    ServiceExport waiting =
        h.awaitCondition(
            ServiceExport.class,
            "first-j",
            "ph",
            ConditionType.READY,
            Conditions.UNKNOWN,
            Reason.PENDING);

    assertTrue(
        Conditions.find(waiting.getStatus().getConditions(), ConditionType.READY)
            .orElseThrow()
            .getMessage()
            .contains("grants[0].account: Account first-k/x has no key yet"));
    assertEquals(0, h.events("ServiceExport", "first-j", "ph", Reason.PENDING.value()));
  }

  /**
   * A grant removed while the export's first status, with its activation, is still held: the token
   * Secret tells of the grant, so the token is revoked and its Secret goes.
   */
  @Test
  void aGrantRemovedWhileThePrivateExportsFirstStatusIsHeldIsRevoked() {
    String c = exporterWaitingForItsImportGrantingTo("first-f", "first-g");
    String secret = Grants.secretName("ph", c);
    ServiceExport held = h.get(ServiceExport.class, "first-f", "ph");
    assertTrue(
        held.getStatus() == null || held.getStatus().getActivations() == null,
        "the export's first status is held: no activation in it yet");

    held.getSpec().setGrants(List.of());
    h.updateSpec(held);

    ServiceExport revoked =
        await()
            .atMost(OperatorHarness.WAIT)
            .until(
                () -> h.get(ServiceExport.class, "first-f", "ph"),
                e ->
                    e.getStatus() != null
                        && e.getStatus().getRevocations() != null
                        && e.getStatus().getRevocations().containsKey(c));
    assertEquals(null, revoked.getStatus().getActivations());
    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> h.secretValue("first-f", secret, Grants.TOKEN_KEY) == null);
    await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () ->
                StoredRevocations.Exports.parse(
                        h.secretValue(
                            "first-f", Names.accountKeys("b"), StoredRevocations.EXPORTS_ENTRY))
                    .of("service", "private.help.*")
                    .containsKey(c));
  }

  /**
   * Deleted while its first status is held, a private export still ends its grant: the Account
   * stores the grantee's revocation before the export and its token Secret go.
   */
  @Test
  void aPrivateExportDeletedWhileItsFirstStatusIsHeldRevokesItsGrant() {
    String c = exporterWaitingForItsImportGrantingTo("first-h", "first-i");
    ServiceExport held = h.get(ServiceExport.class, "first-h", "ph");
    assertTrue(
        held.getStatus() == null || held.getStatus().getActivations() == null,
        "the export's first status is held: no activation in it yet");

    client.resources(ServiceExport.class).inNamespace("first-h").withName("ph").delete();

    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> h.get(ServiceExport.class, "first-h", "ph") == null);
    assertTrue(
        StoredRevocations.Exports.parse(
                h.secretValue("first-h", Names.accountKeys("b"), StoredRevocations.EXPORTS_ENTRY))
            .of("service", "private.help.*")
            .containsKey(c),
        "the grant ended by the deletion is stored with the exporter's keys");
    assertEquals(null, h.secretValue("first-h", Grants.secretName("ph", c), Grants.TOKEN_KEY));
  }

  /**
   * Account b in {@code ns} exports private.help.* to Account c in {@code granteeNs} and imports
   * from an Account that never gets keys, so b waits for that import before its first push (up to
   * the hold) and the export's first status, its activation minted, is held meanwhile. Returns c's
   * key once the token Secret exists.
   */
  private String exporterWaitingForItsImportGrantingTo(String ns, String granteeNs) {
    h.create(Fixtures.account(ns + "-x", "a", "nats", "no-such-operator"));
    h.create(Fixtures.serviceExport(ns + "-x", "help", "a", "help"));
    h.create(ExportImportTest.serviceImport(ns, "help", "b", ns + "-x", "help"));
    h.create(Fixtures.account(granteeNs, "c"));
    String c =
        await()
            .atMost(OperatorHarness.WAIT)
            .until(
                () -> h.get(Account.class, granteeNs, "c").getStatus(),
                st -> st != null && st.getPublicKey() != null)
            .getPublicKey();
    h.create(Fixtures.account(ns, "b"));
    h.create(privateExport(ns, "b", granteeNs, "c"));
    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> h.secretValue(ns, Grants.secretName("ph", c), Grants.TOKEN_KEY) != null);
    assertEquals(null, h.get(Account.class, ns, "b").getStatus().getJwt(), "b is not pushed");
    return c;
  }

  /** Private ServiceExport ph of private.help.* from Account {@code account}, granted to one. */
  private static ServiceExport privateExport(
      String ns, String account, String granteeNs, String grantee) {
    ServiceExport e = Fixtures.serviceExport(ns, "ph", account, "private.help.*");
    e.getSpec().setPrivate(true);
    e.getSpec().setGrants(List.of(Fixtures.grantTo(granteeNs, grantee)));
    return e;
  }
}
