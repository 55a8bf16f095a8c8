package dev.nats.accounts.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdentityClaimsTest {
  static Account account(String ns, String name, String created) {
    Account a = new Account();
    a.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(ns)
            .withName(name)
            .withUid(ns + "-" + name)
            .withCreationTimestamp(created)
            .build());
    return a;
  }

  static final Account FIRST = account("tenant-a", "a", "2026-11-30T08:00:00Z");
  static final Account SECOND = account("tenant-b", "b", "2026-11-30T09:00:00Z");

  @Test
  void aNewClaimantIsRefusedWhileAnotherPublishesTheIdentity() {
    Optional<HasMetadata> holder =
        IdentityClaims.holderOtherThan(new IdentityClaims.Claim(SECOND, false), List.of(FIRST));
    assertEquals(Optional.of(FIRST), holder);
    // Even an older resource that has not published the key yet does not take it from the one that
    // has.
    Account older = account("tenant-c", "c", "2026-11-29T00:00:00Z");
    assertEquals(
        Optional.of(FIRST),
        IdentityClaims.holderOtherThan(new IdentityClaims.Claim(older, false), List.of(FIRST)));
  }

  @Test
  void whenBothPublishedTheOlderKeepsIt() {
    assertEquals(
        Optional.of(FIRST),
        IdentityClaims.holderOtherThan(new IdentityClaims.Claim(SECOND, true), List.of(FIRST)));
    assertTrue(
        IdentityClaims.holderOtherThan(new IdentityClaims.Claim(FIRST, true), List.of(SECOND))
            .isEmpty());
  }

  @Test
  void theHolderItselfAndNoOtherClaimantAreNoConflict() {
    assertTrue(
        IdentityClaims.holderOtherThan(new IdentityClaims.Claim(FIRST, true), List.of(FIRST))
            .isEmpty());
    assertTrue(
        IdentityClaims.holderOtherThan(new IdentityClaims.Claim(FIRST, false), List.of())
            .isEmpty());
  }
}
