package dev.nats.accounts.reconciler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.AccountKeyRef;
import dev.nats.accounts.api.v1alpha1.ImportSource;
import dev.nats.accounts.api.v1alpha1.LocalObjectRef;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.ServiceImportSpec;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.app.OperatorSettings;
import dev.nats.accounts.jwt.DecodedJwt;
import dev.nats.accounts.jwt.Import;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.Clients;
import dev.nats.accounts.testing.NatsRequests;
import dev.nats.accounts.testing.NatsRequests.Outcome;
import dev.nats.accounts.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.nats.client.Connection;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import whose token is served at a URL ({@code spec.from.tokenURL}), here the exporter's own
 * {@code status.activations[].url}, on nats-server 2.15: the operator fetches the token and embeds
 * it (the server no longer fetches), follows renewals behind the URL, drops the import when the URL
 * answers 404, and keeps the last token until it expires when the URL is unreachable.
 */
@EnableKubernetesMockClient(crud = true)
class TokenUrlImportTest {
  KubernetesClient client;
  @TempDir Path dir;
  OperatorHarness h;
  String aKey;
  String bKey;

  @BeforeEach
  void start() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    h =
        OperatorHarness.start(
            client,
            dir,
            OperatorSettings.forTests()
                .withActivationTokens(
                    new OperatorSettings.ActivationTokens(port, "http://127.0.0.1:" + port)));
    h.applyManifests(Path.of("examples", "seed-tutorial"));
    h.awaitReady(ServiceImport.class, "tenant-b", "private-help");
    h.awaitReady(User.class, "tenant-b", "b");
    h.awaitReady(User.class, "tenant-a", "u");
    aKey = h.get(Account.class, "tenant-a", "a").getStatus().getPublicKey();
    bKey = h.get(Account.class, "tenant-b", "b").getStatus().getPublicKey();
    // The same grant, imported by URL instead of by reference.
    client.resources(ServiceImport.class).inNamespace("tenant-b").withName("private-help").delete();
    h.create(byUrl(activationUrl()));
    h.awaitReady(ServiceImport.class, "tenant-b", "private-help-url");
  }

  @AfterEach
  void stop() {
    h.close();
  }

  String activationUrl() {
    return h.get(ServiceExport.class, "tenant-a", "private-help")
        .getStatus()
        .getActivations()
        .get(0)
        .getUrl();
  }

  ServiceImport byUrl(String url) {
    ServiceImport i = new ServiceImport();
    i.setMetadata(
        new ObjectMetaBuilder().withName("private-help-url").withNamespace("tenant-b").build());
    ServiceImportSpec spec = new ServiceImportSpec();
    LocalObjectRef acct = new LocalObjectRef();
    acct.setName("b");
    spec.setAccountRef(acct);
    ImportSource from = new ImportSource();
    AccountKeyRef k = new AccountKeyRef();
    k.setPublicKey(aKey);
    from.setAccount(k);
    from.setSubject("private.help." + bKey);
    from.setTokenURL(url);
    spec.setFrom(from);
    spec.setLocalSubject("private.help");
    i.setSpec(spec);
    return i;
  }

  String creds(String ns, String user) {
    return h.secretValue(
        ns, h.get(User.class, ns, user).getStatus().getCredsSecretName(), "user.creds");
  }

  /** The token the importer's account JWT carries for this import (never a URL). */
  String embeddedToken() {
    DecodedJwt jwt = JwtDecoder.decode(h.get(Account.class, "tenant-b", "b").getStatus().getJwt());
    return jwt.account().imports().stream()
        .filter(i -> i.subject().equals("private.help." + bKey))
        .map(Import::token)
        .findFirst()
        .orElse(null);
  }

  String importHashId() {
    return h.get(ServiceImport.class, "tenant-b", "private-help-url")
        .getStatus()
        .getActivationHashId();
  }

  void setGrantLifetime(String expiresAfter) {
    ServiceExport e = h.get(ServiceExport.class, "tenant-a", "private-help");
    e.getSpec().getGrants().get(0).setExpiresAfter(expiresAfter);
    h.updateSpec(e);
  }

  @Test
  void requestsFlowAndFollowRenewalsBehindTheUrlUntilTheGrantEnds() throws Exception {
    try (Connection responder = h.connect(creds("tenant-a", "u"), null);
        Connection requester = h.connect(creds("tenant-b", "b"), null)) {
      Clients.respond(responder, "private.help.*", "I will help");
      responder.flush(java.time.Duration.ofSeconds(5));
      String url = activationUrl();
      String served = h.secretValue("tenant-a", secretName(), "activation.jwt");
      assertEquals(served, embeddedToken(), "the fetched token, embedded");
      assertEquals(
          Outcome.reply("I will help"), NatsRequests.request(requester, "private.help", "x"));

      setGrantLifetime("6s");
      // Two renewals behind the same URL reach the importer's JWT; requests keep flowing.
      String before = importHashId();
      await()
          .atMost(OperatorHarness.WAIT)
          .until(() -> !importHashId().equals(before) && expires(embeddedToken()) != null);
      String renewedOnce = importHashId();
      await().atMost(OperatorHarness.WAIT).until(() -> !importHashId().equals(renewedOnce));
      assertEquals(url, activationUrl(), "the URL stays");
      assertEquals(
          Outcome.reply("I will help"), NatsRequests.request(requester, "private.help", "x"));

      ServiceExport e = h.get(ServiceExport.class, "tenant-a", "private-help");
      e.getSpec().setGrants(List.of());
      h.updateSpec(e);
      String message = awaitTokenFetchFailed();
      assertTrue(message.contains("spec.from.tokenURL: GET " + url + " answered 404"), message);
      await()
          .atMost(OperatorHarness.WAIT)
          .until(
              () ->
                  NatsRequests.request(requester, "private.help", "x")
                      .equals(Outcome.NO_RESPONDERS));
    }
  }

  @Test
  void anUnreachableUrlKeepsTheLastTokenUntilItExpires() throws Exception {
    try (Connection responder = h.connect(creds("tenant-a", "u"), null);
        Connection requester = h.connect(creds("tenant-b", "b"), null)) {
      Clients.respond(responder, "private.help.*", "I will help");
      responder.flush(java.time.Duration.ofSeconds(5));
      setGrantLifetime("30s");
      await().atMost(OperatorHarness.WAIT).until(() -> expires(embeddedToken()) != null);
      long expires = expires(embeddedToken());

      h.app().tokenServer().orElseThrow().close();
      assertEquals(
          Outcome.reply("I will help"),
          NatsRequests.request(requester, "private.help", "x"),
          "the embedded token is still valid");
      // Still working, but not unseen: the Authorized condition says the URL fails.
      await()
          .atMost(OperatorHarness.WAIT)
          .until(
              () ->
                  Conditions.find(
                          h.get(ServiceImport.class, "tenant-b", "private-help-url")
                              .getStatus()
                              .getConditions(),
                          ConditionType.AUTHORIZED)
                      .map(c -> c.getMessage().contains("the token fetched before is used"))
                      .orElse(false));

      String message = awaitTokenFetchFailed();
      assertTrue(
          java.time.Instant.now().getEpochSecond() >= expires - 1,
          "kept until it expired, not dropped at the first failed fetch");
      assertTrue(message.contains("failed"), message);
      await()
          .atMost(OperatorHarness.WAIT)
          .until(
              () ->
                  NatsRequests.request(requester, "private.help", "x")
                      .equals(Outcome.NO_RESPONDERS));
    }
  }

  /** The import's Ready=False message once the URL lost it its token. */
  String awaitTokenFetchFailed() {
    ServiceImport failed =
        h.awaitCondition(
            ServiceImport.class,
            "tenant-b",
            "private-help-url",
            ConditionType.READY,
            Conditions.FALSE,
            Reason.TOKEN_FETCH_FAILED);
    return Conditions.find(failed.getStatus().getConditions(), ConditionType.READY)
        .orElseThrow()
        .getMessage();
  }

  String secretName() {
    return h.get(ServiceExport.class, "tenant-a", "private-help")
        .getStatus()
        .getActivations()
        .get(0)
        .getSecretName();
  }

  static Long expires(String token) {
    return token == null ? null : JwtDecoder.decodeIgnoringTime(token).expires();
  }
}
