package dev.nats.accounts.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.testing.Crds;
import dev.nats.accounts.testing.MockApiTest;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Removing our finalizer on the fabric8 mock API, from the copy a cleanup gets: one that lags
 * behind the object (JOSDK's own removal hangs on the mock from such a copy, see {@link
 * Finalizers}).
 */
class FinalizersTest extends MockApiTest {
  static final String NS = "tenant-a";
  static final String OURS = "accounts.accounts.nats.dev/finalizer";
  static final String OTHER = "example.com/keep";

  @BeforeEach
  void crds() {
    Crds.register(client);
  }

  @Test
  void aCopyOlderThanTheObjectStillReleasesIt() {
    Account stale = accountWith("a", List.of(OURS), 2);
    // The object moves on: one export fewer in its status.
    client.resource(Fixtures.withExports(stale, 1)).updateStatus();
    client.resource(stale).delete();

    Optional<Account> answer = Finalizers.remove(client, stale, OURS);

    assertTrue(answer.isPresent(), "the API server's answer to the patch");
    assertNull(
        client.resources(Account.class).inNamespace(NS).withName("a").get(),
        "without its last finalizer the deleted Account is gone");
  }

  @Test
  void anotherControllersFinalizerStays() {
    Account stale = accountWith("a", List.of(OTHER, OURS), 2);
    client.resource(Fixtures.withExports(stale, 1)).updateStatus();
    client.resource(stale).delete();

    Finalizers.remove(client, stale, OURS);

    Account left = client.resources(Account.class).inNamespace(NS).withName("a").get();
    assertNotNull(left, "still held by the other finalizer");
    assertEquals(List.of(OTHER), left.getMetadata().getFinalizers());
    assertNotNull(left.getMetadata().getDeletionTimestamp());
  }

  @Test
  void withoutOurFinalizerOrGoneThereIsNothingToDo() {
    Account without = accountWith("without", List.of(OTHER), 0);
    assertEquals(Optional.empty(), Finalizers.remove(client, without, OURS));
    assertEquals(List.of(OTHER), client.resource(without).get().getMetadata().getFinalizers());

    Account gone = accountWith("gone", List.of(OURS), 0);
    client.resource(gone).withGracePeriod(0).delete();
    client.resource(client.resource(gone).get()).edit(a -> withoutFinalizers(a));
    assertNull(client.resource(gone).get());
    assertEquals(Optional.empty(), Finalizers.remove(client, gone, OURS), "already gone");
  }

  @Test
  void thePatchSetsTheListWithoutOursOnTheVersionItWasComputedFrom() throws Exception {
    Account a = Fixtures.account(NS, "a");
    a.getMetadata().setFinalizers(List.of(OTHER, OURS, "example.com/third"));
    a.getMetadata().setResourceVersion("42");

    JsonNode patch = Serialization.jsonMapper().readTree(Finalizers.removal(a, OURS).orElseThrow());

    assertEquals(
        Serialization.jsonMapper()
            .readTree(
                "[{\"op\":\"add\",\"path\":\"/metadata/resourceVersion\",\"value\":\"42\"},"
                    + "{\"op\":\"add\",\"path\":\"/metadata/finalizers\","
                    + "\"value\":[\"example.com/keep\",\"example.com/third\"]}]"),
        patch);
    assertEquals(Optional.empty(), Finalizers.removal(a, "not/there"));
    a.getMetadata().setFinalizers(null);
    assertEquals(Optional.empty(), Finalizers.removal(a, OURS));
  }

  /**
   * The wait for the controller's cache ends as soon as the cache shows the finalizer gone (or the
   * object), and at the limit when it never does.
   */
  @Test
  void theWaitForTheCacheEndsWhenItShowsTheFinalizerGone() {
    Account held = Fixtures.account(NS, "a");
    held.getMetadata().setFinalizers(List.of(OURS));
    Account released = Fixtures.account(NS, "a");

    assertEquals(
        4,
        reads(n -> Optional.of(n < 4 ? held : released), Duration.ofMinutes(1)),
        "three reads still showed it, the fourth did not");
    assertEquals(1, reads(n -> Optional.empty(), Duration.ofMinutes(1)), "gone from the cache");
    assertEquals(
        1,
        reads(n -> Optional.of(held), Duration.ZERO),
        "never shown gone: the wait ends at its limit");
  }

  /** How often the wait reads a cache that answers its n-th read (from 1) with {@code answer}. */
  private static int reads(IntFunction<Optional<Account>> answer, Duration wait) {
    AtomicInteger reads = new AtomicInteger();
    Finalizers.awaitGoneFrom(
        id -> answer.apply(reads.incrementAndGet()), new ResourceID("a", NS), OURS, wait);
    return reads.get();
  }

  private static Account withoutFinalizers(Account a) {
    a.getMetadata().setFinalizers(List.of());
    return a;
  }

  /** An Account with {@code finalizers} and {@code exports} entries in its status, as read back. */
  private Account accountWith(String name, List<String> finalizers, int exports) {
    Account a = Fixtures.account(NS, name);
    a.getMetadata().setFinalizers(finalizers);
    Account created = client.resource(a).create();
    return exports == 0
        ? created
        : client.resource(Fixtures.withExports(created, exports)).updateStatus();
  }
}
