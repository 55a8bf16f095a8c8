package dev.nats.accounts.testing;

import dev.nats.accounts.demo.RealApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real kube-apiserver + etcd per test class (kube-api-test, offline, binaries from
 * scripts/lib/ensure-tools.sh) with the committed CRDs installed and Established. One server per
 * class keeps classes independent: each starts its own operator, and two operators on one API
 * server would reconcile each other's resources.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ApiServerExtension API = new ApiServerExtension();
 * }</pre>
 */
public final class ApiServerExtension implements BeforeAllCallback, AfterAllCallback {
  private final List<String> flags;
  private RealApiServer server;
  private KubernetesClient admin;

  public ApiServerExtension() {
    this(List.of());
  }

  /**
   * @param flags extra kube-apiserver flags, e.g. {@code --max-requests-inflight}
   */
  public ApiServerExtension(List<String> flags) {
    this.flags = flags;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    TestBed.tool("kube-apiserver");
    TestBed.tool("etcd");
    server = RealApiServer.start(flags);
    admin = server.adminClient();
    installCrds(admin);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (admin != null) {
      admin.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /**
   * Creates every CRD from crds/ and waits until the server serves them (condition Established).
   */
  public static void installCrds(KubernetesClient client) {
    RealApiServer.installCrds(client, Crds.load());
  }

  /** An admin client (system:masters); closed with the server. */
  public KubernetesClient client() {
    return admin;
  }

  public RealApiServer server() {
    return server;
  }

  /**
   * Creates the namespaces if they do not exist (a real API server refuses objects in a missing
   * one).
   */
  public void namespaces(String... names) {
    for (String name : names) {
      if (admin.namespaces().withName(name).get() == null) {
        admin
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
            .create();
      }
    }
  }
}
