package dev.nats.accounts.reconciler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.ActivationStatus;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.app.OperatorSettings;
import dev.nats.accounts.jwt.ActivationHashId;
import dev.nats.accounts.jwt.DecodedJwt;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.reconciler.exports.Grants;
import dev.nats.accounts.testing.OperatorHarness;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator serves each activation token it mints at {@code status.activations[].url}, the
 * nats-account-server path, and that URL follows the grant: a renewed token behind the same URL, a
 * removed grant answers 404.
 */
@EnableKubernetesMockClient(crud = true)
class ActivationUrlTest {
  KubernetesClient client;
  @TempDir Path dir;
  OperatorHarness h;
  String base;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    base = "http://127.0.0.1:" + port;
    h =
        OperatorHarness.start(
            client,
            dir,
            OperatorSettings.forTests()
                .withActivationTokens(new OperatorSettings.ActivationTokens(port, base)));
    h.applyManifests(Path.of("examples", "seed-tutorial"));
    h.awaitReady(ServiceImport.class, "tenant-b", "private-help");
  }

  @AfterEach
  void stop() {
    h.close();
  }

  HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  ActivationStatus activation() {
    List<ActivationStatus> a =
        h.get(ServiceExport.class, "tenant-a", "private-help").getStatus().getActivations();
    return a == null || a.isEmpty() ? null : a.get(0);
  }

  @Test
  void theStatusUrlServesTheTokenOfTheSecretAndUnknownHashesAre404() throws Exception {
    ActivationStatus a = activation();
    String token = h.secretValue("tenant-a", a.getSecretName(), Grants.TOKEN_KEY);
    DecodedJwt decoded = JwtDecoder.decode(token);
    assertEquals(
        base + "/jwt/v1/activations/" + ActivationHashId.of(decoded),
        a.getUrl(),
        "the path and hash of nats-account-server");

    HttpResponse<String> r = get(a.getUrl());
    assertEquals(200, r.statusCode());
    assertEquals(token, r.body());
    assertEquals("application/jwt", r.headers().firstValue("Content-Type").orElse(""));

    assertEquals(404, get(base + "/jwt/v1/activations/NOSUCHHASH").statusCode());
    assertEquals(404, get(base + "/jwt/v1/activations/").statusCode());
    assertEquals(404, get(base + "/jwt/v1/accounts/" + decoded.subject()).statusCode());
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(URI.create(a.getUrl()))
                .POST(HttpRequest.BodyPublishers.ofString(token))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
  }

  @Test
  void aRenewedTokenIsServedAtTheSameUrlAndARemovedGrantIs404() throws Exception {
    ServiceExport e = h.get(ServiceExport.class, "tenant-a", "private-help");
    e.getSpec().getGrants().get(0).setExpiresAfter("6s");
    h.updateSpec(e);
    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> activation() != null && activation().getExpiresAt() != null);
    String url = activation().getUrl();
    DecodedJwt first = JwtDecoder.decodeIgnoringTime(get(url).body());

    // Renewal is due with a third of the lifetime left: a new token, the same URL.
    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> JwtDecoder.decodeIgnoringTime(get(url).body()).issuedAt() > first.issuedAt());
    DecodedJwt renewed = JwtDecoder.decodeIgnoringTime(get(url).body());
    assertNotEquals(first.id(), renewed.id());
    assertEquals(url, activation().getUrl());
    assertTrue(renewed.expires() > first.expires());

    ServiceExport now = h.get(ServiceExport.class, "tenant-a", "private-help");
    now.getSpec().setGrants(List.of());
    h.updateSpec(now);
    await().atMost(OperatorHarness.WAIT).until(() -> get(url).statusCode() == 404);
  }
}
