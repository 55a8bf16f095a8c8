package dev.nats.accounts.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceViewTest {

  @Test
  void readsTheReadyConditionAndTheKeyFromAnyKind() {
    ResourceView v =
        ResourceView.of(
            resource(
                "ServiceImport",
                Map.of(
                    "conditions",
                    List.of(
                        Map.of("type", "ExportFound", "status", "True", "reason", "ExportFound"),
                        Map.of(
                            "type",
                            "Ready",
                            "status",
                            "False",
                            "reason",
                            "NotGranted",
                            "message",
                            "no grant for c")),
                    "exporterPublicKey",
                    "AEXPORTER")));
    assertEquals(
        new ResourceView(
            "ServiceImport", "t", "n", "False", "NotGranted", "no grant for c", "AEXPORTER"),
        v);
    assertFalse(v.isReady());
    assertEquals("ServiceImport t/n: Ready=False (NotGranted: no grant for c)", v.progressLine());
  }

  @Test
  void noStatusYetIsUnknown() {
    ResourceView v = ResourceView.of(resource("User", null));
    assertEquals("Unknown", v.ready());
    assertEquals("User t/n: Ready=Unknown (no status yet)", v.progressLine());
  }

  @Test
  void theTableAlignsColumns() {
    String table =
        ResourceView.table(
            List.of(
                new ResourceView("Operator", "nats", "main", "True", "Reconciled", "", "OKEY"),
                new ResourceView(
                    "ServiceImport", "tenant-b", "private-help", "False", "NotGranted", "m", "")));
    assertEquals(
        """
        KIND           NAMESPACE  NAME          READY  REASON      PUBLIC KEY
        Operator       nats       main          True   Reconciled  OKEY
        ServiceImport  tenant-b   private-help  False  NotGranted  \n""",
        table);
    assertTrue(new ResourceView("User", "t", "n", "True", "Reconciled", "", "U").isReady());
  }

  private static GenericKubernetesResource resource(String kind, Map<String, Object> status) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setKind(kind);
    r.setMetadata(new ObjectMetaBuilder().withNamespace("t").withName("n").build());
    if (status != null) {
      r.setAdditionalProperty("status", status);
    }
    return r;
  }
}
