package dev.nats.accounts.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.api.v1alpha1.StreamImport;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.ApiServerExtension;
import dev.nats.accounts.testing.Clients;
import dev.nats.accounts.testing.Crds;
import dev.nats.accounts.testing.NatsRequests;
import dev.nats.accounts.testing.OperatorHarness;
import io.nats.client.Connection;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/multi-tenant on a real kube-apiserver and nats-server 2.15: four teams in four
 * namespaces, a private service granted to one, a private stream granted to another, and a tenant
 * with no grant whose imports are refused. Every request and event goes through the server with the
 * creds the operator wrote into Secrets.
 */
@Tag("apiserver")
class MultiTenantApiServerTest {
  @RegisterExtension static final ApiServerExtension API = new ApiServerExtension();
  @TempDir Path dir;

  @Test
  void grantedTenantsReachThePrivateServiceAndStreamAndTheUngrantedOneIsRefused() throws Exception {
    API.namespaces("nats");
    try (OperatorHarness h = OperatorHarness.start(API.client(), dir)) {
      h.applyManifests(Crds.projectRoot().resolve(Path.of("examples", "multi-tenant")));
      for (String t : new String[] {"orders", "billing", "shipping"}) {
        h.awaitReady(Account.class, "team-" + t, t);
      }
      // The rogue account works, without the imports it was refused, and says so.
      h.awaitCondition(
          Account.class,
          "team-rogue",
          "rogue",
          ConditionType.READY,
          Conditions.FALSE,
          Reason.IMPORTS_UNRESOLVED);
      h.awaitCondition(
          Account.class, "team-rogue", "rogue", ConditionType.PUSHED, Conditions.TRUE, null);
      h.awaitReady(User.class, "team-orders", "orders-svc");
      for (String t : new String[] {"billing", "shipping", "rogue"}) {
        h.awaitReady(User.class, "team-" + t, t + "-app");
      }
      ServiceExport api = h.awaitReady(ServiceExport.class, "team-orders", "orders-api");
      StreamExport events = h.awaitReady(StreamExport.class, "team-orders", "orders-events");
      h.awaitReady(ServiceImport.class, "team-billing", "orders-api");
      h.awaitReady(StreamImport.class, "team-shipping", "orders-events");
      ServiceImport rogueService =
          h.awaitCondition(
              ServiceImport.class,
              "team-rogue",
              "orders-api",
              ConditionType.READY,
              Conditions.FALSE,
              Reason.NOT_GRANTED);
      StreamImport rogueStream =
          h.awaitCondition(
              StreamImport.class,
              "team-rogue",
              "orders-events",
              ConditionType.READY,
              Conditions.FALSE,
              Reason.NOT_GRANTED);

      // One activation per grant, each for its grantee only.
      String billingKey =
          h.get(Account.class, "team-billing", "billing").getStatus().getPublicKey();
      String shippingKey =
          h.get(Account.class, "team-shipping", "shipping").getStatus().getPublicKey();
      assertEquals(1, api.getStatus().getActivations().size());
      assertEquals(billingKey, api.getStatus().getActivations().get(0).getPublicKey());
      assertEquals(1, events.getStatus().getActivations().size());
      assertEquals(shippingKey, events.getStatus().getActivations().get(0).getPublicKey());
      // The refused imports say why (naming the export) and never reach the rogue account's JWT.
      String why =
          Conditions.find(rogueService.getStatus().getConditions(), ConditionType.READY)
              .orElseThrow()
              .getMessage();
      assertTrue(why.contains("orders-api"), why);
      assertFalse(
          Conditions.find(rogueStream.getStatus().getConditions(), ConditionType.READY)
              .orElseThrow()
              .getMessage()
              .isBlank());
      Account rogue = h.get(Account.class, "team-rogue", "rogue");
      assertEquals(
          0,
          JwtDecoder.decode(rogue.getStatus().getJwt())
              .payload()
              .path("nats")
              .path("imports")
              .size());
      assertTrue(
          API.client().v1().events().inNamespace("team-rogue").list().getItems().stream()
              .anyMatch(
                  e ->
                      Reason.NOT_GRANTED.value().equals(e.getReason())
                          && "Warning".equals(e.getType())),
          "a Warning Event for the refused import");

      try (Connection orders =
              h.connect(h.secretValue("team-orders", "orders-svc-creds", "user.creds"), null);
          Connection billing =
              h.connect(h.secretValue("team-billing", "billing-app-creds", "user.creds"), null);
          Connection shipping =
              h.connect(h.secretValue("team-shipping", "shipping-app-creds", "user.creds"), null);
          Connection rogueApp =
              h.connect(h.secretValue("team-rogue", "rogue-app-creds", "user.creds"), null)) {
        Clients.respond(orders, "orders.api", "order 42 accepted");
        assertEquals(
            NatsRequests.Outcome.reply("order 42 accepted"),
            NatsRequests.request(billing, "orders.api", "new"));
        assertEquals(
            NatsRequests.Outcome.NO_RESPONDERS,
            NatsRequests.request(rogueApp, "orders.api", "new"));

        Subscription shipped = shipping.subscribe("orders.events.>");
        Subscription stolen = rogueApp.subscribe("orders.events.>");
        shipping.flush(Duration.ofSeconds(2));
        rogueApp.flush(Duration.ofSeconds(2));
        orders.publish("orders.events.created", "42".getBytes(StandardCharsets.UTF_8));
        orders.flush(Duration.ofSeconds(2));
        var got = shipped.nextMessage(Duration.ofSeconds(5));
        assertEquals("42", got == null ? null : new String(got.getData(), StandardCharsets.UTF_8));
        assertNull(
            stolen.nextMessage(Duration.ofMillis(500)), "the ungranted tenant receives nothing");
      }
    }
  }
}
