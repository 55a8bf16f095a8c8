package dev.nats.accounts.informers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.AccountStatus;
import dev.nats.accounts.reconciler.Fixtures;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BufferedClonerTest {
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final BufferedCloner cloner = new BufferedCloner(serialization);

  @Test
  void aCopyIsEqualAsJsonAndSharesNothingMutable() {
    Account a = Fixtures.account("t", "a");
    a.getMetadata().setResourceVersion("42");
    a.getMetadata().setLabels(new TreeMap<>(Map.of("team", "x")));
    AccountStatus st = new AccountStatus();
    st.setPublicKey("AB");
    st.setRevocations(new TreeMap<>(Map.of("UA", 1_700_000_000L)));
    st.setConditions(
        new ArrayList<>(
            List.of(new ConditionBuilder().withType("Ready").withStatus("True").build())));
    a.setStatus(st);
    String before = serialization.asJson(a);

    Account copy = cloner.clone(a);

    assertNotSame(a, copy);
    assertEquals(before, serialization.asJson(copy));
    copy.getMetadata().getLabels().put("team", "y");
    copy.getStatus().getRevocations().put("UB", 1L);
    copy.getStatus().getConditions().get(0).setStatus("False");
    copy.getSpec().setOperatorRef(null);
    assertEquals(before, serialization.asJson(a), "the original is untouched");
  }

  @Test
  void secretDataIsCopiedToo() {
    Secret s =
        new SecretBuilder()
            .withNewMetadata()
            .withName("k")
            .withNamespace("t")
            .endMetadata()
            .withData(new TreeMap<>(Map.of("seed", "U0E=")))
            .build();
    Secret copy = cloner.clone(s);
    copy.getData().put("seed", "changed");
    assertEquals("U0E=", s.getData().get("seed"));
    assertEquals(Secret.class, copy.getClass());
  }
}
