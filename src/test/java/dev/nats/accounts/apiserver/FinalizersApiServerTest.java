package dev.nats.accounts.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.reconciler.Finalizers;
import dev.nats.accounts.reconciler.Fixtures;
import dev.nats.accounts.testing.ApiServerExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Our finalizer removed from the copy a cleanup gets, on a real API server: a copy older than the
 * object (our own status write since). JOSDK 5.2's retry after the 409 patches from that copy and
 * is refused; {@link Finalizers} reads the object again and succeeds. No operator runs: the test is
 * the API server's answers.
 */
@Tag("apiserver")
class FinalizersApiServerTest {
  @RegisterExtension static final ApiServerExtension API = new ApiServerExtension();
  static final String OURS = "accounts.accounts.nats.dev/finalizer";
  static final String OTHER = "example.com/keep";

  @BeforeAll
  static void namespaces() {
    API.namespaces("stale", "josdk", "other");
  }

  @Test
  void aCopyOlderThanTheObjectStillReleasesIt() {
    Account stale = deletedWithAStaleCopy("stale", List.of(OURS));

    assertTrue(Finalizers.remove(client(), stale, OURS).isPresent(), "the API server's answer");

    assertNull(client().resource(stale).get(), "without its last finalizer the Account is gone");
  }

  /**
   * What JOSDK 5.2 sends after the 409: the object read again without the finalizer, diffed from
   * the copy the cleanup started with. The diff removes the status entry the object no longer has.
   */
  @Test
  void thePatchJosdkRetriesWithIsRefused() {
    Account stale = deletedWithAStaleCopy("josdk", List.of(OURS));
    Account fresh = client().resource(stale).get();
    fresh.getMetadata().setFinalizers(new ArrayList<>());

    KubernetesClientException refused =
        assertThrows(
            KubernetesClientException.class, () -> client().resource(stale).edit(r -> fresh));

    assertEquals(422, refused.getCode(), refused.getMessage());
    assertNotNull(client().resource(stale).get(), "still there, with its finalizer");
  }

  @Test
  void anotherControllersFinalizerStays() {
    Account stale = deletedWithAStaleCopy("other", List.of(OTHER, OURS));

    Finalizers.remove(client(), stale, OURS);

    Account left = client().resource(stale).get();
    assertEquals(List.of(OTHER), left.getMetadata().getFinalizers());
    assertNotNull(left.getMetadata().getDeletionTimestamp());
  }

  /**
   * Account a in {@code ns} with {@code finalizers}, read when its status listed two exports; its
   * status then lists one, and it is deleted (held by the finalizers).
   */
  private static Account deletedWithAStaleCopy(String ns, List<String> finalizers) {
    Account a = Fixtures.account(ns, "a");
    a.getMetadata().setFinalizers(finalizers);
    Account stale =
        client().resource(Fixtures.withExports(client().resource(a).create(), 2)).updateStatus();
    client().resource(Fixtures.withExports(stale, 1)).updateStatus();
    client().resource(stale).delete();
    return stale;
  }

  private static KubernetesClient client() {
    return API.client();
  }
}
