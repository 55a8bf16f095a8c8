package dev.nats.accounts.reconciler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Grant;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.Clients;
import dev.nats.accounts.testing.MockApiTest;
import dev.nats.accounts.testing.NatsRequests;
import dev.nats.accounts.testing.OperatorHarness;
import dev.nats.accounts.testing.SeedTutorial;
import io.nats.client.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A grant removed and given again works again. Removing a grant revokes the grantee on the export
 * (its token, and any copy of it, stop working); the revocation stays, so the new grant needs a
 * token issued after it. The operator used to hand out the old token again (remembered, or restored
 * with its Secret), which the revocation refuses: the import showed Ready while every request went
 * unanswered. Found while testing the restore of docs/operations/backup-restore.md, where an
 * importing Account deleted and re-created is the same case.
 */
class RegrantTest extends MockApiTest {

  @Test
  void aGrantRemovedAndGivenAgainWorksAgain() throws Exception {
    h = OperatorHarness.start(client, dir);
    SeedTutorial.applyAndVerify(h);
    ServiceExport export = h.get(ServiceExport.class, "tenant-a", "private-help");
    List<Grant> granted = export.getSpec().getGrants();
    try (Connection u = h.connect(h.secretValue("tenant-a", "u-creds", "user.creds"), null);
        Connection b = h.connect(h.secretValue("tenant-b", "b-creds", "user.creds"), null)) {
      Clients.respond(u, "private.help.*", "help is here");

      export.getSpec().setGrants(null);
      h.updateSpec(export);
      h.awaitCondition(
          ServiceImport.class,
          "tenant-b",
          "private-help",
          ConditionType.READY,
          Conditions.FALSE,
          Reason.NOT_GRANTED);
      await()
          .atMost(OperatorHarness.WAIT)
          .until(
              () ->
                  NatsRequests.request(b, "private.help", "me")
                      .equals(NatsRequests.Outcome.NO_RESPONDERS));
      String bKey =
          h.get(dev.nats.accounts.api.v1alpha1.Account.class, "tenant-b", "b")
              .getStatus()
              .getPublicKey();
      assertTrue(
          h.get(ServiceExport.class, "tenant-a", "private-help")
              .getStatus()
              .getRevocations()
              .containsKey(bKey));

      Thread.sleep(
          1100); // the new grant comes in a later second than the revocation, as it would in
      // practice
      export = h.get(ServiceExport.class, "tenant-a", "private-help");
      export.getSpec().setGrants(granted);
      h.updateSpec(export);
      h.awaitReady(ServiceImport.class, "tenant-b", "private-help");
      await()
          .atMost(OperatorHarness.WAIT)
          .until(
              () ->
                  NatsRequests.request(b, "private.help", "me")
                      .equals(NatsRequests.Outcome.reply("help is here")));
      assertTrue(
          h.get(ServiceExport.class, "tenant-a", "private-help")
              .getStatus()
              .getRevocations()
              .containsKey(bKey),
          "the old token stays revoked");
    }
  }
}
