package dev.nats.accounts.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class EventRecorderTest {
  KubernetesClient client;
  KubernetesMockServer server;

  @Test
  void repeatedEventsBumpOneCountAndRecordOnChangeSkipsRepeats() {
    ConfigMap obj =
        client
            .configMaps()
            .inNamespace("ns")
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("x")
                    .withNamespace("ns")
                    .endMetadata()
                    .build())
            .create();
    EventRecorder events = new EventRecorder(client, "nats-account-operator", Clock.systemUTC());
    events.warning(obj, Reason.SEED_LOST, "secret x-account-keys is gone");
    events.warning(obj, Reason.SEED_LOST, "secret x-account-keys is gone");
    events.recordOnChange(obj, EventRecorder.NORMAL, Reason.KEYS_CREATED, "created");
    events.recordOnChange(obj, EventRecorder.NORMAL, Reason.KEYS_CREATED, "created");

    List<Event> list = client.v1().events().inNamespace("ns").list().getItems();
    assertEquals(2, list.size());
    Event seedLost =
        list.stream().filter(e -> "SeedLost".equals(e.getReason())).findFirst().orElseThrow();
    assertEquals(2, seedLost.getCount());
    assertEquals("Warning", seedLost.getType());
    assertEquals("x", seedLost.getInvolvedObject().getName());
    Event created =
        list.stream().filter(e -> "KeysCreated".equals(e.getReason())).findFirst().orElseThrow();
    assertEquals(1, created.getCount());
  }

  /** Most Events are new: one request each (a create), a read only for a repeat. */
  @Test
  void aNewEventIsOneCreateAndARepeatReadsAndUpdates() throws Exception {
    ConfigMap obj =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("y")
            .withNamespace("ns")
            .withUid("u-1")
            .endMetadata()
            .build();
    EventRecorder events = new EventRecorder(client, "nats-account-operator", Clock.systemUTC());
    int before = server.getRequestCount();
    events.normal(obj, Reason.KEYS_CREATED, "account identity A");
    assertEquals(1, server.getRequestCount() - before);
    assertEquals("POST", server.getLastRequest().getMethod());

    events.normal(obj, Reason.KEYS_CREATED, "account identity A");
    assertEquals(4, server.getRequestCount() - before, "create refused, read, update");
    assertEquals("PUT", server.getLastRequest().getMethod());
    List<Event> ofY =
        client.v1().events().inNamespace("ns").list().getItems().stream()
            .filter(e -> "y".equals(e.getInvolvedObject().getName()))
            .toList();
    assertEquals(1, ofY.size());
    assertEquals(2, ofY.get(0).getCount());
  }
}
