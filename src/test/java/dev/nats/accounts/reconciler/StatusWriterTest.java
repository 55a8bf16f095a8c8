package dev.nats.accounts.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.AccountStatus;
import dev.nats.accounts.api.v1alpha1.ImportSummary;
import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.Crds;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class StatusWriterTest {
  KubernetesClient client;
  KubernetesMockServer server;
  final OperatorMetrics metrics = OperatorMetrics.inMemory();

  private static AccountStatus withImports(String... names) {
    AccountStatus st = new AccountStatus();
    List<ImportSummary> imports = new ArrayList<>();
    for (String n : names) {
      ImportSummary i = new ImportSummary();
      i.setName(n);
      imports.add(i);
    }
    st.setImports(imports);
    return st;
  }

  private String writeCount() {
    return client
        .resources(Account.class)
        .inNamespace("t")
        .withName("a")
        .get()
        .getMetadata()
        .getResourceVersion();
  }

  @Test
  void writesTheWholeStatusEvenFromAStaleCopyAndSkipsWhatItAlreadyWrote() {
    Crds.register(client);
    Account created = client.resource(Fixtures.account("t", "a")).create();
    StatusWriter writer = new StatusWriter(client, metrics);

    // First write: three imports.
    Account first = client.resources(Account.class).inNamespace("t").withName("a").get();
    first.setStatus(withImports("x", "y", "z"));
    writer.write(first, created.getStatus());
    assertEquals(
        3,
        client
            .resources(Account.class)
            .inNamespace("t")
            .withName("a")
            .get()
            .getStatus()
            .getImports()
            .size());

    // A reconcile that read the resource before that write (stale copy, no status) now computes one
    // import: a diff against the stale copy could not express this; the whole-status write does.
    Account stale = Fixtures.account("t", "a");
    stale.getMetadata().setUid(created.getMetadata().getUid());
    stale.setStatus(withImports("x"));
    writer.write(stale, null);
    assertEquals(
        List.of("x"),
        client
            .resources(Account.class)
            .inNamespace("t")
            .withName("a")
            .get()
            .getStatus()
            .getImports()
            .stream()
            .map(ImportSummary::getName)
            .toList());

    // Writing the same status again is skipped (no new resourceVersion), even from a copy whose
    // status (as read) is stale and different.
    String version = writeCount();
    stale.setStatus(withImports("x"));
    writer.write(stale, withImports("x", "y", "z"));
    assertEquals(version, writeCount());
    // Counted by kind and Ready reason (none here): the two writes made, not the one skipped.
    assertEquals(2, metrics.statusWrites("Account", "None"));
  }

  /**
   * Someone clears the status after our write (a status edit, a restore): the reconcile that reads
   * the cleared copy computes what it wrote before, and writes it again. A copy from before that
   * write, with the same desired status, still writes nothing.
   */
  @Test
  void aStatusClearedAfterOurWriteIsWrittenAgain() {
    Crds.register(client);
    Account created = client.resource(Fixtures.account("t", "a")).create();
    StatusWriter writer = new StatusWriter(client, metrics);
    Account first = client.resource(created).get();
    first.setStatus(withImports("x"));
    writer.write(first, created.getStatus());

    created.setStatus(withImports("x")); // read before the write, same desired status
    String version = writeCount();
    writer.write(created, null);
    assertEquals(version, writeCount(), "a copy older than the write changes nothing");

    Account cleared = client.resource(created).get();
    cleared.setStatus(new AccountStatus());
    client.resource(cleared).updateStatus();
    Account read = client.resource(created).get();
    AccountStatus asRead = read.getStatus();
    read.setStatus(withImports("x"));
    writer.write(read, asRead);

    AccountStatus now = client.resource(created).get().getStatus();
    assertNotNull(now.getImports(), "the cleared status is written again");
    assertEquals(List.of("x"), now.getImports().stream().map(ImportSummary::getName).toList());
  }

  @Test
  void theResourceVersionOfAnAnswerIsReadFromItsMetadata() {
    assertEquals(
        42,
        StatusWriter.versionIn(
            "{\"apiVersion\":\"v\",\"kind\":\"Account\",\"metadata\":{\"annotations\":{\"a\":\"b\"},"
                + "\"managedFields\":[{\"fieldsV1\":{\"f:status\":{}}}],\"name\":\"a\","
                + "\"resourceVersion\":\"42\",\"uid\":\"u\"},\"status\":{}}"));
    assertEquals(-1, StatusWriter.versionIn("{\"metadata\":{\"resourceVersion\":\"opaque\"}}"));
    assertEquals(-1, StatusWriter.versionIn("{\"status\":{\"resourceVersion\":\"7\"}}"));
    assertEquals(-1, StatusWriter.versionIn(""));
    assertEquals(-1, StatusWriter.versionIn("not json"));
  }

  /**
   * What a reconcile wrote last is there to read back when the next one starts from an older copy
   * (a revocation it recorded); nothing before the first write, nothing once forgotten.
   */
  @Test
  void theLastStatusWrittenReadsBackUntilForgotten() {
    Crds.register(client);
    Account a = client.resource(Fixtures.account("t", "a")).create();
    StatusWriter writer = new StatusWriter(client, metrics);
    String uid = a.getMetadata().getUid();
    assertTrue(writer.lastWritten(uid, AccountStatus.class).isEmpty(), "nothing written yet");

    a.setStatus(withImports("x", "y"));
    writer.write(a, null);

    assertEquals(
        List.of("x", "y"),
        writer.lastWritten(uid, AccountStatus.class).orElseThrow().getImports().stream()
            .map(ImportSummary::getName)
            .toList());
    writer.forget(uid);
    assertTrue(writer.lastWritten(uid, AccountStatus.class).isEmpty(), "forgotten");
  }

  /** One request per write, the PATCH: no read of the resource first. */
  @Test
  void aWriteIsOnePatchAndNothingElse() throws Exception {
    Crds.register(client);
    Account a = client.resource(Fixtures.account("t", "a")).create();
    StatusWriter writer = new StatusWriter(client, metrics);
    while (server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
      // drop the set-up's requests
    }
    int before = server.getRequestCount();
    a.setStatus(withImports("x"));
    writer.write(a, null);
    assertEquals(1, server.getRequestCount() - before);
    var request = server.takeRequest(1, TimeUnit.SECONDS);
    assertEquals("PATCH", request.getMethod());
    assertEquals(
        "/apis/accounts.nats.dev/v1alpha1/namespaces/t/accounts/a/status", request.getPath());
  }

  /** The status subresource's URL, from the kind's group, version and plural and the name. */
  @Test
  void aWriteIsAddressedToTheStatusOfTheResourceByName() {
    StatusWriter writer = new StatusWriter(client, metrics);
    String master = client.getMasterUrl().toString().replaceAll("/$", "");
    assertEquals(
        master + "/apis/accounts.nats.dev/v1alpha1/namespaces/t/serviceexports/help/status",
        writer.statusUrl(Fixtures.serviceExport("t", "help", "a", "help")));
  }

  /**
   * A refused write fails as fabric8's own requests fail: a {@code KubernetesClientException} with
   * the API server's code and {@code Status}, which the reconcilers turn into a condition.
   */
  @Test
  void aRefusedWriteThrowsTheApiServersCodeAndStatus() {
    Crds.register(client);
    Account gone = Fixtures.account("t", "never-created");
    gone.getMetadata().setUid("u-1");
    gone.setStatus(withImports("x"));
    StatusWriter writer = new StatusWriter(client, metrics);

    KubernetesClientException e =
        assertThrows(KubernetesClientException.class, () -> writer.write(gone, null));
    assertEquals(404, e.getCode());
    assertEquals(404, e.getStatus().getCode());
    assertTrue(writer.lastWritten("u-1", AccountStatus.class).isEmpty(), "nothing was written");
  }

  @Test
  void onlyFirstConditionsNewIsTrueForConditionsAloneBeforeAnyReady() {
    Crds.register(client);
    Account a = client.resource(Fixtures.account("t", "a")).create();
    StatusWriter writer = new StatusWriter(client, metrics);
    Conditions conditions = new Conditions(java.time.Clock.systemUTC());

    AccountStatus waiting = new AccountStatus();
    waiting.setObservedGeneration(1L);
    waiting.setConditions(
        conditions.set(null, ConditionType.READY, "Unknown", Reason.PENDING, "waiting", 1L));
    a.setStatus(waiting);
    assertTrue(writer.onlyFirstConditionsNew(a, null), "no status yet: conditions only");
    assertTrue(writer.onlyFirstConditionsNew(a, new AccountStatus()), "an empty status read");

    AccountStatus keyed = Statuses.copy(waiting, AccountStatus.class);
    keyed.setPublicKey("AKEY");
    a.setStatus(keyed);
    assertFalse(writer.onlyFirstConditionsNew(a, null), "a key is news others read");
    assertTrue(
        writer.onlyFirstConditionsNew(a, null, java.util.Set.of("publicKey")),
        "unless the caller says no reconciler reads it");
    keyed.setJwt("a.b.c");
    assertFalse(
        writer.onlyFirstConditionsNew(a, null, java.util.Set.of("publicKey")),
        "every other field still counts");

    a.setStatus(waiting);
    writer.write(a, null);
    assertFalse(
        writer.onlyFirstConditionsNew(a, null),
        "a Ready condition was shown: say the wait at once");
  }
}
