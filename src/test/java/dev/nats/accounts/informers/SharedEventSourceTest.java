package dev.nats.accounts.informers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.LocalObjectRef;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.reconciler.Fixtures;
import dev.nats.accounts.testing.Crds;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared informer as two controllers see it, on the fabric8 mock API. */
@EnableKubernetesMockClient(crud = true)
class SharedEventSourceTest {
  static final String NS = "tenant";

  KubernetesClient client;
  SharedInformers informers;

  /** Primaries woken, per source, in order. */
  final List<ResourceID> woken1 = new CopyOnWriteArrayList<>();

  final List<ResourceID> woken2 = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    Crds.register(client);
    informers = new SharedInformers(client);
  }

  @AfterEach
  void stop() {
    informers.close();
  }

  @Test
  void twoControllersShareOneCacheEachWokenThroughItsOwnMapperIndexesAddedOnce() {
    SharedEventSource<User, Account> first = source("first", woken1);
    SharedEventSource<User, Account> second = source("second", woken2);
    assertSame(informers.of(User.class, null, Set.of()), informers.of(User.class, null, Set.of()));
    assertEquals(1, informers.size(), "one cache for the two sources");
    Map<String, java.util.function.Function<User, List<String>>> byAccount =
        Map.of("by-account", u -> List.of(u.getSpec().getAccountRef().getName()));
    first.addIndexers(byAccount);
    second.addIndexers(byAccount); // the same index by name: no conflict
    first.start();
    second.start();

    client.resource(Fixtures.user(NS, "u", "a")).create();

    await().atMost(Duration.ofSeconds(10)).until(() -> woken1.size() == 1 && woken2.size() == 1);
    assertEquals(new ResourceID("a", NS), woken1.get(0));
    assertEquals(1, second.byIndex("by-account", "a").size(), "the index answers for both");
    assertEquals("u", first.get(new ResourceID("u", NS)).orElseThrow().getMetadata().getName());
    assertEquals(1, second.list(NS, u -> true).count());
  }

  @Test
  void aReferenceMovedWakesTheOldPrimaryAndTheNewOne() {
    SharedEventSource<User, Account> source = source("first", woken1);
    java.util.concurrent.atomic.AtomicInteger counted =
        new java.util.concurrent.atomic.AtomicInteger();
    source.countWakeUps(counted::addAndGet);
    source.start();
    User u = client.resource(Fixtures.user(NS, "u", "a")).create();
    await().atMost(Duration.ofSeconds(10)).until(() -> woken1.size() == 1);

    LocalObjectRef b = new LocalObjectRef();
    b.setName("b");
    u.getSpec().setAccountRef(b);
    client.resource(u).update();

    await().atMost(Duration.ofSeconds(10)).until(() -> woken1.size() == 3);
    assertEquals(
        Set.of(new ResourceID("a", NS), new ResourceID("b", NS)), Set.copyOf(woken1.subList(1, 3)));
    assertEquals(3, counted.get(), "each primary woken is counted (for nats_operator_wakeups)");
  }

  @Test
  void filtersApplyPerSourceAndASecondarySetIsNeverAnswered() {
    SharedEventSource<User, Account> quiet = source("quiet", woken1);
    quiet.setOnAddFilter(u -> false);
    SharedEventSource<User, Account> loud = source("loud", woken2);
    quiet.start();
    loud.start();

    client.resource(Fixtures.user(NS, "u", "a")).create();

    await().atMost(Duration.ofSeconds(10)).until(() -> woken2.size() == 1);
    assertTrue(woken1.isEmpty(), "the add filter of one source leaves the other alone");
    assertThrows(
        UnsupportedOperationException.class,
        () -> quiet.getSecondaryResources(Fixtures.account(NS, "a")));
  }

  /**
   * A controller's cache is adopted only when it is a JOSDK informer and the shared cache has not
   * started its own watch: otherwise the shared informer goes on serving, and the relay passes
   * nothing on (its readers would get every event twice).
   */
  @Test
  void aCacheAlreadyWatchingOrAnUnknownCacheIsNotAdoptedAndItsRelayPassesNothing() {
    SharedCache<User> users = informers.of(User.class, null, Set.of());
    ControllerRelay<User, User> notJosdk = users.adopt(source("other", woken2), "users-relay");
    assertFalse(notJosdk.passing());
    assertFalse(users.adopted());

    SharedEventSource<User, Account> reader = source("reader", woken1);
    reader.start();
    ControllerRelay<User, User> late = users.adopt(source("other", woken2), "users-relay");
    assertFalse(late.passing());
    late.onResourceCreated(Fixtures.user(NS, "ghost", "a"));
    client.resource(Fixtures.user(NS, "u", "a")).create();
    await().atMost(Duration.ofSeconds(10)).until(() -> woken1.size() == 1);
    assertEquals(List.of(new ResourceID("a", NS)), woken1, "woken by the watch, not the relay");
  }

  private SharedEventSource<User, Account> source(String name, List<ResourceID> woken) {
    SharedEventSource<User, Account> s =
        new SharedEventSource<>(
            name,
            informers.of(User.class, null, Set.of()),
            u -> Set.of(new ResourceID(u.getSpec().getAccountRef().getName(), NS)));
    s.setEventHandler(e -> woken.add(e.getRelatedCustomResourceID()));
    return s;
  }
}
