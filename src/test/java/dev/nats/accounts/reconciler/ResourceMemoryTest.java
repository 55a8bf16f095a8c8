package dev.nats.accounts.reconciler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.AccountLimits;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.OnMockApi;
import dev.nats.accounts.testing.OperatorHarness;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The operator keeps some state in memory per resource (last status written, last Event, signed
 * JWTs, push confirmations and failure streaks). Deleting the resources must leave none of it
 * behind, or a long-running operator grows with every tenant that ever existed.
 */
class ResourceMemoryTest extends OnMockApi {

  @Test
  void deletedResourcesLeaveNothingInMemory() {
    h.create(Fixtures.account("tenant-m", "a"));
    h.create(Fixtures.account("tenant-m", "b"));
    h.create(Fixtures.user("tenant-m", "u", "a"));
    h.create(Fixtures.serviceExport("tenant-m", "help", "a", "help"));
    h.create(ExportImportTest.serviceImport("tenant-m", "help", "b", "tenant-m", "help"));
    List<CustomResource<?, ?>> resources =
        List.of(
            h.awaitReady(Account.class, "tenant-m", "a"),
            h.awaitReady(Account.class, "tenant-m", "b"),
            h.awaitReady(User.class, "tenant-m", "u"),
            h.awaitReady(ServiceExport.class, "tenant-m", "help"),
            h.awaitReady(ServiceImport.class, "tenant-m", "help"));
    Set<String> uids = new HashSet<>();
    resources.forEach(r -> uids.add(r.getMetadata().getUid()));
    assertTrue(
        h.services().remembered().containsAll(uids), "each was reconciled, so each is remembered");

    // A push failure streak (a server that never answers) is state too.
    Operator op = h.get(Operator.class, "nats", "main");
    op.getSpec().setServers(List.of(h.url(), "nats://127.0.0.1:1"));
    h.updateSpec(op);
    Account a = h.get(Account.class, "tenant-m", "a");
    AccountLimits limits = new AccountLimits();
    limits.setSubscriptions(100L);
    a.getSpec().setLimits(limits);
    h.updateSpec(a);
    h.awaitCondition(
        Account.class, "tenant-m", "a", ConditionType.PUSHED, Conditions.FALSE, Reason.PUSH_FAILED);
    assertTrue(
        h.services().pushes().remembered().contains(a.getMetadata().getUid()),
        "the failure streak is remembered");

    for (CustomResource<?, ?> r : resources) {
      client.resource(r).delete();
    }
    await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () ->
                resources.stream()
                    .allMatch(
                        r ->
                            h.get(
                                    r.getClass(),
                                    r.getMetadata().getNamespace(),
                                    r.getMetadata().getName())
                                == null));

    Set<String> left = new HashSet<>(h.services().remembered());
    left.retainAll(uids);
    assertEquals(Set.of(), left, "nothing is remembered about deleted resources");
    assertTrue(
        h.services().remembered().contains(op.getMetadata().getUid()),
        "the Operator, still there, is");
  }
}
