package dev.nats.accounts.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.AccountStatus;
import dev.nats.accounts.api.v1alpha1.ActivationStatus;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceExportStatus;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.api.v1alpha1.UserStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a status becomes series: one per condition, resolver counts from status.servers, expiry
 * times.
 */
class ResourceStatusMetricsTest {

  @Test
  void conditionsServersAndExpiriesBecomeSeries() {
    Account a = new Account();
    a.setMetadata(new ObjectMetaBuilder().withName("orders").withNamespace("team-orders").build());
    AccountStatus as = new AccountStatus();
    as.setServers("2/3");
    as.setConditions(
        List.of(cond("Ready", "False", "SeedLost"), cond("Pushed", "True", "PushSucceeded")));
    a.setStatus(as);

    User u = new User();
    u.setMetadata(new ObjectMetaBuilder().withName("api").withNamespace("team-orders").build());
    UserStatus us = new UserStatus();
    us.setExpiresAt("2030-01-01T00:00:00Z");
    u.setStatus(us);

    ServiceExport e = new ServiceExport();
    e.setMetadata(new ObjectMetaBuilder().withName("help").withNamespace("team-orders").build());
    ServiceExportStatus es = new ServiceExportStatus();
    ActivationStatus act = new ActivationStatus();
    act.setPublicKey("AB");
    act.setExpiresAt("2031-01-01T00:00:00Z");
    ActivationStatus forever = new ActivationStatus();
    forever.setPublicKey("AC");
    es.setActivations(List.of(act, forever));
    e.setStatus(es);

    User noStatus = new User();
    noStatus.setMetadata(
        new ObjectMetaBuilder().withName("new").withNamespace("team-orders").build());

    List<String> series =
        ResourceStatusMetrics.series(List.of(a, u, e, noStatus)).stream()
            .map(Object::toString)
            .toList();
    assertEquals(
        List.of(
            "nats_operator_resource_condition{kind=Account, reason=SeedLost, resource_name=orders, resource_namespace=team-orders, status=False, type=Ready} 1",
            "nats_operator_resource_condition{kind=Account, reason=PushSucceeded, resource_name=orders, resource_namespace=team-orders, status=True, type=Pushed} 1",
            "nats_operator_account_resolvers_acknowledged{resource_name=orders, resource_namespace=team-orders} 2",
            "nats_operator_account_resolvers{resource_name=orders, resource_namespace=team-orders} 3",
            "nats_operator_user_creds_expiry_timestamp_seconds{resource_name=api, resource_namespace=team-orders} 1893456000",
            // an activation without expiry has no series; a resource without status none at all
            "nats_operator_activation_expiry_timestamp_seconds{grantee=AB, kind=ServiceExport, resource_name=help, resource_namespace=team-orders} 1924992000"),
        series);
  }

  private static Condition cond(String type, String status, String reason) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage("")
        .build();
  }
}
