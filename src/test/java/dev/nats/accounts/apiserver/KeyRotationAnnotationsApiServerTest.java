package dev.nats.accounts.apiserver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.app.OperatorSettings;
import dev.nats.accounts.reconciler.Fixtures;
import dev.nats.accounts.reconciler.account.SigningKeyRotation;
import dev.nats.accounts.reconciler.user.UserKeyRotation;
import dev.nats.accounts.testing.ApiServerExtension;
import dev.nats.accounts.testing.OperatorHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real API server an annotation changes no generation, and JOSDK drops such updates of the
 * reconciled resource itself: the rotation annotation still rotates at once, not at the resync (ten
 * minutes here, longer than the test waits).
 */
@Tag("apiserver")
class KeyRotationAnnotationsApiServerTest {
  @RegisterExtension static final ApiServerExtension API = new ApiServerExtension();
  @TempDir Path dir;
  OperatorHarness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void theRotateAnnotationsOfAccountsAndUsersActWithoutWaitingForTheResync() throws Exception {
    API.namespaces("nats", "rot");
    h =
        OperatorHarness.start(
            API.client(),
            dir,
            OperatorSettings.forTests().toBuilder().resyncInterval(Duration.ofMinutes(10)).build());
    h.create(Fixtures.account("rot", "a"));
    Account ready = h.awaitReady(Account.class, "rot", "a");
    h.create(Fixtures.user("rot", "u", "a"));
    String userKey = h.awaitReady(User.class, "rot", "u").getStatus().getPublicKey();
    API.client()
        .resources(User.class)
        .inNamespace("rot")
        .withName("u")
        .edit(
            u -> {
              u.getMetadata().setAnnotations(Map.of(UserKeyRotation.REQUEST, "1"));
              return u;
            });
    await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () -> h.get(User.class, "rot", "u").getStatus().getPublicKey(),
            k -> !userKey.equals(k));

    String first = ready.getStatus().getSigningKeys().get(0).getPublicKey();
    API.client()
        .resources(Account.class)
        .inNamespace("rot")
        .withName("a")
        .edit(
            a -> {
              Map<String, String> ann = new HashMap<>();
              ann.put(SigningKeyRotation.REQUEST, "1");
              a.getMetadata().setAnnotations(ann);
              return a;
            });
    Account rotated =
        await()
            .atMost(OperatorHarness.WAIT)
            .until(
                () -> h.get(Account.class, "rot", "a"),
                a -> !first.equals(a.getStatus().getSigningKeys().get(0).getPublicKey()));
    assertEquals(first, rotated.getStatus().getSigningKeys().get(0).getPreviousKey());
    assertNotNull(rotated.getStatus().getSigningKeys().get(0).getPreviousKeyRemovedAt());
  }
}
