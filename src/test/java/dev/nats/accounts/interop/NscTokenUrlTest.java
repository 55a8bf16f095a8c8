package dev.nats.accounts.interop;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nats.accounts.api.v1alpha1.ActivationStatus;
import dev.nats.accounts.api.v1alpha1.Grant;
import dev.nats.accounts.api.v1alpha1.LocalObjectRef;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceExportSpec;
import dev.nats.accounts.app.OperatorSettings;
import dev.nats.accounts.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An nsc user imports a grant of ours by URL: {@code nsc add import --token <status url>} fetches
 * the token from the operator's token server (nats-account-server's path) and embeds it, as it did
 * with nats-account-server.
 */
@EnableKubernetesMockClient(crud = true)
class NscTokenUrlTest {
  KubernetesClient client;
  @TempDir Path dir;
  OperatorHarness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void nscAddImportFetchesTheTokenFromTheStatusUrl() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    h =
        OperatorHarness.start(
            client,
            dir.resolve("k8s"),
            OperatorSettings.forTests()
                .withActivationTokens(
                    new OperatorSettings.ActivationTokens(port, "http://127.0.0.1:" + port)));
    h.applyManifests(Path.of("examples", "seed-tutorial"));
    Nsc nsc = new Nsc(dir.resolve("nsc"));
    nsc.run("add", "operator", "-n", "O");
    nsc.run("add", "account", "-n", "B");
    String bKey = nsc.describeJson("describe", "account", "B").path("sub").asText();

    ServiceExport e = new ServiceExport();
    e.setMetadata(new ObjectMetaBuilder().withName("for-nsc").withNamespace("tenant-a").build());
    ServiceExportSpec spec = new ServiceExportSpec();
    LocalObjectRef a = new LocalObjectRef();
    a.setName("a");
    spec.setAccountRef(a);
    spec.setSubject("nsc.help.>");
    spec.setPrivate(true);
    Grant g = new Grant();
    g.setPublicKey(bKey);
    spec.setGrants(List.of(g));
    e.setSpec(spec);
    h.create(e);
    ActivationStatus act =
        await()
            .atMost(OperatorHarness.WAIT)
            .until(
                () -> {
                  var st = h.get(ServiceExport.class, "tenant-a", "for-nsc").getStatus();
                  return st == null || st.getActivations() == null
                      ? null
                      : st.getActivations().get(0);
                },
                x -> x != null && x.getUrl() != null);

    nsc.run("add", "import", "-a", "B", "--token", act.getUrl(), "--local-subject", "help.a.>");

    String token = h.secretValue("tenant-a", act.getSecretName(), "activation.jwt");
    var imported = nsc.describeJson("describe", "account", "B").path("nats").path("imports").get(0);
    assertEquals(token, imported.path("token").asText(), "the token fetched, not the URL");
    assertEquals("nsc.help.>", imported.path("subject").asText());
  }
}
