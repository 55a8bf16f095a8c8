package dev.nats.accounts.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the selectors say; SeedTutorialApiServerTest checks what a real API server returns for them.
 */
class InformersTest {
  static final String MANAGED = "app.kubernetes.io/managed-by=nats-account-operator";
  static final String KIND = "accounts.nats.dev/key-owner-kind";

  @Test
  void aSelectorLeavesOutTheKindsNotRead() {
    assertEquals(
        MANAGED + "," + KIND + "!=User",
        Informers.ownedBy(
            List.of(Account.class, Operator.class, ServiceExport.class, StreamExport.class)));
    assertEquals(
        MANAGED + "," + KIND + "!=Operator," + KIND + "!=Account," + KIND + "!=User",
        Informers.ownedBy(List.of(ServiceExport.class, StreamExport.class)));
    assertEquals(MANAGED, Informers.ownedBy(Informers.OWNER_KINDS));
  }
}
