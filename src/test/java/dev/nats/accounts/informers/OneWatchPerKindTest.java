package dev.nats.accounts.informers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.ResponseType;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.testing.Intercepted;
import dev.nats.accounts.testing.MockApiTest;
import dev.nats.accounts.testing.OperatorHarness;
import dev.nats.accounts.testing.SeedTutorial;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The whole operator on the mock API opens one watch per kind of ours: the controller's own, which
 * every other reader of the kind shares (the other controllers, the annotation watches, the status
 * metrics; {@link SharedCache#adopt}). With JOSDK's informers per controller an Account was
 * watched, and each of its events decoded, nine times; with one shared informer beside the
 * controller's, twice. The seed tutorial working on it shows the relayed events wake the other
 * controllers.
 */
class OneWatchPerKindTest extends MockApiTest {
  static final List<String> KINDS =
      List.of(
          "operators",
          "accounts",
          "users",
          "serviceexports",
          "streamexports",
          "serviceimports",
          "streamimports");

  @Test
  void everyKindIsWatchedOnceWhateverHowManyControllersReadIt() throws Exception {
    WatchCounter watches = new WatchCounter();
    KubernetesClient counted =
        Intercepted.client(client.getConfiguration(), "watch-counter", watches);
    h = OperatorHarness.start(counted, dir);
    SeedTutorial.applyAndVerify(h);

    // An update relayed from the ServiceExport controller's informer wakes the Account.
    ServiceExport help = h.get(ServiceExport.class, "tenant-a", "help");
    double woken = accountsWokenByServiceExports();
    help.getSpec().setResponseType(ResponseType.Stream);
    h.updateSpec(help);
    await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () -> JwtDecoder.decode(h.get(Account.class, "tenant-a", "a").getStatus().getJwt()),
            jwt -> {
              for (var e : jwt.payload().path("nats").path("exports")) {
                if ("help".equals(e.path("name").asText())) {
                  return "Stream".equals(e.path("response_type").asText());
                }
              }
              return false;
            });
    assertTrue(
        accountsWokenByServiceExports() > woken,
        "the Account was woken by the export's update (not only by a resync)");

    Map<String, Integer> opened = watches.opened();
    for (String kind : KINDS) {
      assertEquals(1, opened.getOrDefault(kind, 0), kind + " in " + opened);
    }
    assertEquals(1, opened.getOrDefault("namespaces", 0), "namespaces in " + opened);
    assertTrue(
        h.services().informers().shared().of(Account.class, null, java.util.Set.of()).adopted(),
        "the Accounts other readers see are the Account controller's cache");
  }

  private double accountsWokenByServiceExports() {
    return h.counter(OperatorMetrics.WAKEUPS, "kind", "Account", "from", "ServiceExport");
  }

  /** Counts the watch requests by resource (the last path segment). */
  static final class WatchCounter implements Interceptor {
    private final Map<String, AtomicInteger> byResource = new ConcurrentHashMap<>();

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
      String query = request.uri().getRawQuery();
      if (query == null || !query.contains("watch=true")) {
        return;
      }
      String[] path = request.uri().getRawPath().split("/");
      byResource.computeIfAbsent(path[path.length - 1], k -> new AtomicInteger()).incrementAndGet();
    }

    Map<String, Integer> opened() {
      Map<String, Integer> out = new TreeMap<>();
      byResource.forEach((k, v) -> out.put(k, v.get()));
      return out;
    }
  }
}
