package dev.nats.accounts.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.AccountLimits;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.reconciler.Fixtures;
import dev.nats.accounts.reconciler.Names;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Specs that pass admission (the CRD schema and CEL rules accept them) but that the claims builders
 * refuse, run the same way on the mock and on a real API server: each must end as Ready=False with
 * a reason, a message naming the field, one Warning Event, and no retry loop (the error metric
 * stays put while nothing changes).
 */
public final class ErrorPathScenarios {
  /**
   * Long enough for JOSDK's default retry (2 s, then 1.5x) to have retried twice, were it retrying.
   */
  private static final Duration QUIET = Duration.ofSeconds(8);

  private ErrorPathScenarios() {}

  /**
   * An Account whose {@code spec.limits.data} is a quantity the schema accepts but no int64 holds:
   * Ready=False InvalidSpec naming the field, the last good JWT kept (still pushed), and Ready
   * again once the spec is fixed.
   */
  public static void accountLimitTooLargeForTheJwt(OperatorHarness h, String ns) {
    h.create(Fixtures.account(ns, "big"));
    Account ready = h.awaitReady(Account.class, ns, "big");

    Account edit = h.get(Account.class, ns, "big");
    AccountLimits limits = new AccountLimits();
    limits.setData(new Quantity("9999999999Ei"));
    edit.getSpec().setLimits(limits);
    h.updateSpec(edit);

    Account failed =
        h.awaitCondition(
            Account.class, ns, "big", ConditionType.READY, Conditions.FALSE, Reason.INVALID_SPEC);
    String message = Conditions.message(failed.getStatus().getConditions(), ConditionType.READY);
    assertTrue(message.startsWith("spec.limits.data: "), message);
    assertEquals(failed.getMetadata().getGeneration(), failed.getStatus().getObservedGeneration());
    assertEquals(
        ready.getStatus().getJwt(),
        failed.getStatus().getJwt(),
        "the last good JWT stays in status");
    assertEquals(ready.getStatus().getPublicKey(), failed.getStatus().getPublicKey());
    assertTrue(
        Conditions.isTrue(failed.getStatus().getConditions(), ConditionType.PUSHED),
        "the last good JWT is still live");
    assertOneWarningAndNoRetryLoop(h, failed, Reason.INVALID_SPEC, "spec.limits.data");

    Account fix = h.get(Account.class, ns, "big");
    fix.getSpec().getLimits().setData(new Quantity("1Gi"));
    h.updateSpec(fix);
    await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () -> {
              Account cur = h.get(Account.class, ns, "big");
              return Conditions.isTrue(cur.getStatus().getConditions(), ConditionType.READY)
                  && !ready.getStatus().getJwt().equals(cur.getStatus().getJwt());
            });
  }

  /**
   * A User whose {@code spec.expiresAfter} matches the duration pattern but exceeds what a Go
   * duration holds, and one whose source network has a prefix longer than 32 bits (the pattern
   * checks only the shape; the JWT validator refuses it): both Ready=False InvalidSpec naming the
   * field, and no creds Secret.
   */
  public static void userSpecsTheBuildersRefuse(OperatorHarness h, String ns) {
    h.create(Fixtures.account(ns, "a"));
    h.awaitReady(Account.class, ns, "a"); // later Account changes would wake the Users again
    User forever = Fixtures.user(ns, "forever", "a");
    forever.getSpec().setExpiresAfter("3000000h");
    h.create(forever);
    User badNet = Fixtures.user(ns, "badnet", "a");
    badNet.getSpec().setSourceNetworks(List.of("10.0.0.0/99"));
    h.create(badNet);

    User f =
        h.awaitCondition(
            User.class, ns, "forever", ConditionType.READY, Conditions.FALSE, Reason.INVALID_SPEC);
    String message = Conditions.message(f.getStatus().getConditions(), ConditionType.READY);
    assertTrue(message.startsWith("spec.expiresAfter: "), message);
    assertTrue(message.contains("3000000h"), message);
    assertNull(
        h.client().secrets().inNamespace(ns).withName(Names.userCreds("forever")).get(),
        "no creds issued");
    assertOneWarningAndNoRetryLoop(h, f, Reason.INVALID_SPEC, "spec.expiresAfter");

    User n =
        h.awaitCondition(
            User.class, ns, "badnet", ConditionType.READY, Conditions.FALSE, Reason.INVALID_SPEC);
    String netMessage = Conditions.message(n.getStatus().getConditions(), ConditionType.READY);
    assertTrue(
        netMessage.contains("sourceNetworks[0]") && netMessage.contains("10.0.0.0/99"), netMessage);
    assertFalse(
        netMessage.matches("(?s).*\\bS[OAUNCPX][A-Z2-7]{56}\\b.*"),
        "no seed in the message: " + netMessage);
    assertNull(
        h.client().secrets().inNamespace(ns).withName(Names.userCreds("badnet")).get(),
        "no creds issued");
  }

  /**
   * A creds Secret name taken by a Secret the operator did not write: it is left untouched (data,
   * labels, version), the User is Ready=False with reason SecretConflict naming it and a Warning
   * Event; once it is gone, the User gets its creds.
   */
  public static void credsSecretNameTakenByAForeignSecret(OperatorHarness h, String ns) {
    h.create(Fixtures.account(ns, "a"));
    h.awaitReady(Account.class, ns, "a");
    Secret theirs =
        h.client()
            .resource(
                new SecretBuilder()
                    .withNewMetadata()
                    .withNamespace(ns)
                    .withName(Names.userCreds("u"))
                    .withLabels(Map.of("app", "theirs"))
                    .endMetadata()
                    .withStringData(Map.of("password", "hunter2"))
                    .build())
            .create();
    h.create(Fixtures.user(ns, "u", "a"));

    User u =
        h.awaitCondition(
            User.class, ns, "u", ConditionType.READY, Conditions.FALSE, Reason.SECRET_CONFLICT);
    String message = Conditions.message(u.getStatus().getConditions(), ConditionType.READY);
    assertTrue(message.contains("Secret " + ns + "/" + Names.userCreds("u")), message);
    assertTrue(
        message.startsWith("spec.credsSecretName: "), "names the field to change: " + message);
    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> !warnings(h, u, Reason.SECRET_CONFLICT).isEmpty());
    Secret after = h.client().secrets().inNamespace(ns).withName(Names.userCreds("u")).get();
    assertEquals(
        theirs.getMetadata().getResourceVersion(),
        after.getMetadata().getResourceVersion(),
        "left untouched");
    assertEquals(Map.of("app", "theirs"), after.getMetadata().getLabels());
    assertNull(u.getStatus().getPublicKey(), "no user key was issued into someone else's Secret");

    h.client().resource(after).delete();
    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> h.secretValue(ns, Names.userCreds("u"), "user.creds") != null);
    h.awaitReady(User.class, ns, "u");
  }

  /**
   * Exactly one Warning Event with the reason and the field, and no retry loop: the error metric
   * for the kind does not grow while nothing changes (JOSDK's default retry would have added two or
   * more failures by then).
   */
  public static void assertOneWarningAndNoRetryLoop(
      OperatorHarness h, CustomResource<?, ?> r, Reason reason, String field) {
    await().atMost(OperatorHarness.WAIT).until(() -> !warnings(h, r, reason).isEmpty());
    double errors = h.metrics().reconcileErrors(r.getKind());
    assertTrue(errors >= 1, "the failure went through the error path");
    sleep(QUIET);
    assertEquals(
        errors, h.metrics().reconcileErrors(r.getKind()), "no retry while nothing changed");
    List<Event> events = warnings(h, r, reason);
    assertEquals(1, events.size(), events.toString());
    assertEquals(1, events.get(0).getCount(), "one Event, not one per reconcile");
    assertTrue(events.get(0).getMessage().contains(field), events.get(0).getMessage());
  }

  public static List<Event> warnings(OperatorHarness h, HasMetadata r, Reason reason) {
    return h
        .client()
        .v1()
        .events()
        .inNamespace(r.getMetadata().getNamespace())
        .list()
        .getItems()
        .stream()
        .filter(
            e ->
                "Warning".equals(e.getType())
                    && reason.value().equals(e.getReason())
                    && r.getMetadata().getName().equals(e.getInvolvedObject().getName())
                    && r.getKind().equals(e.getInvolvedObject().getKind()))
        .toList();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
