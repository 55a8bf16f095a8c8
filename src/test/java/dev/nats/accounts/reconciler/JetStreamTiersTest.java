package dev.nats.accounts.reconciler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.AccountLimits;
import dev.nats.accounts.api.v1alpha1.JetStreamLimits;
import dev.nats.accounts.api.v1alpha1.JetStreamTierLimits;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AccountTier;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spec.limits.jetstream.tiers} as nats-server 2.15 enforces it, with JetStream on: the
 * account's user creates R1 streams inside tier R1's budget, and the server refuses the stream past
 * its storage and the one past its stream count, each with its own reason. A stream whose tier the
 * account lacks (R3) is refused for that reason; once the Account gains tier R3, the same request
 * gets past the tier check and fails only because one server cannot hold three replicas.
 */
@EnableKubernetesMockClient(crud = true)
class JetStreamTiersTest {
  KubernetesClient client;
  @TempDir Path dir;

  private static final long KI = 1024;

  @Test
  void streamsInsideTheTierAreCreatedAndOnesPastItAreRefused() throws Exception {
    try (OperatorHarness h = OperatorHarness.startWithJetStream(client, dir)) {
      Account account = Fixtures.account("tenant-a", "js");
      account.getSpec().setLimits(tiered(Map.of("R1", tier("1Mi", 2))));
      h.create(account);
      h.create(Fixtures.user("tenant-a", "u", "js"));
      Account a = h.awaitReady(Account.class, "tenant-a", "js");
      h.awaitReady(User.class, "tenant-a", "u");
      assertEquals(
          1_048_576,
          JwtDecoder.decode(a.getStatus().getJwt())
              .payload()
              .at("/nats/limits/tiered_limits/R1/disk_storage")
              .asLong());

      String creds = h.secretValue("tenant-a", "u-creds", "user.creds");
      try (Connection c = h.connect(creds, null)) {
        JetStreamManagement jsm = c.jetStreamManagement();
        AccountTier r1 = jsm.getAccountStatistics().getTiers().get("R1");
        assertEquals(1_048_576, r1.getLimits().getMaxStorage(), "the server reads tier R1");
        assertEquals(2, r1.getLimits().getMaxStreams());

        jsm.addStream(stream("within", 1, 512 * KI));

        JetStreamApiException storage =
            assertThrows(
                JetStreamApiException.class, () -> jsm.addStream(stream("big", 1, 2048 * KI)));
        assertEquals(10047, storage.getApiErrorCode(), storage.getMessage());
        assertEquals("insufficient storage resources available", storage.getErrorDescription());

        jsm.addStream(stream("second", 1, 256 * KI));

        JetStreamApiException count =
            assertThrows(JetStreamApiException.class, () -> jsm.addStream(stream("third", 1, KI)));
        assertEquals(10027, count.getApiErrorCode(), count.getMessage());
        assertEquals("maximum number of streams reached", count.getErrorDescription());

        JetStreamApiException noTier =
            assertThrows(JetStreamApiException.class, () -> jsm.addStream(stream("r3", 3, KI)));
        assertEquals(10120, noTier.getApiErrorCode(), noTier.getMessage());
        assertEquals(
            "no JetStream default or applicable tiered limit present",
            noTier.getErrorDescription());

        // Tier R3 added: the same request now passes the tier check; a single server still cannot
        // hold three replicas, which is the only refusal left.
        String before = h.get(Account.class, "tenant-a", "js").getStatus().getJwt();
        Account cur = h.get(Account.class, "tenant-a", "js");
        Map<String, JetStreamTierLimits> both = new LinkedHashMap<>();
        both.put("R1", tier("1Mi", 2));
        both.put("R3", tier("3Mi", 1));
        cur.getSpec().setLimits(tiered(both));
        h.updateSpec(cur);
        await()
            .atMost(OperatorHarness.WAIT)
            .until(
                () -> {
                  Account x = h.get(Account.class, "tenant-a", "js");
                  return !before.equals(x.getStatus().getJwt())
                      && Conditions.isTrue(x.getStatus().getConditions(), ConditionType.PUSHED);
                });
        await()
            .atMost(OperatorHarness.WAIT)
            .until(() -> jsm.getAccountStatistics().getTiers().containsKey("R3"));
        JetStreamApiException replicas =
            assertThrows(JetStreamApiException.class, () -> jsm.addStream(stream("r3", 3, KI)));
        assertEquals(10074, replicas.getApiErrorCode(), replicas.getMessage());
      }
    }
  }

  private static StreamConfiguration stream(String name, int replicas, long maxBytes) {
    return StreamConfiguration.builder()
        .name(name)
        .subjects(name + ".>")
        .storageType(StorageType.File)
        .replicas(replicas)
        .maxBytes(maxBytes)
        .build();
  }

  private static JetStreamTierLimits tier(String disk, long streams) {
    JetStreamTierLimits t = new JetStreamTierLimits();
    t.setDiskStorage(new Quantity(disk));
    t.setStreams(streams);
    return t;
  }

  private static AccountLimits tiered(Map<String, JetStreamTierLimits> tiers) {
    JetStreamLimits js = new JetStreamLimits();
    js.setTiers(tiers);
    AccountLimits l = new AccountLimits();
    l.setJetstream(js);
    return l;
  }
}
