package dev.nats.accounts.reconciler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.OnMockApi;
import dev.nats.accounts.testing.OperatorHarness;
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
    h.create(ExportImportTest.serviceExport("first-a", "help", "a", "help"));
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
}
