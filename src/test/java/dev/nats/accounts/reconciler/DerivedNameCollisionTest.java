package dev.nats.accounts.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.OnMockApi;
import dev.nats.accounts.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Test;

/**
 * Names the operator derives from resource names can coincide across kinds: beside Operator {@code
 * main}, an Account named {@code main-system} wants {@code main-system-account-keys} (the system
 * account's keys) and a User named {@code main-system} wants {@code main-system-creds} (the system
 * user's creds). Neither takes the Operator's Secret: each is refused with SecretConflict naming
 * the owner, and the Operator's Secrets and identity stay as they were.
 */
class DerivedNameCollisionTest extends OnMockApi {
  static final String NS = OperatorHarness.OPERATOR_NS;

  @Test
  void anAccountOrUserNamedLikeTheOperatorsSecretsTakesNothing() {
    String main = OperatorHarness.OPERATOR_NAME;
    assertEquals(Names.systemAccountKeys(main), Names.accountKeys(main + "-system"));
    assertEquals(Names.systemCreds(main), Names.userCreds(main + "-system"));
    Operator op = h.get(Operator.class, NS, main);
    Secret sysKeys = client.secrets().inNamespace(NS).withName(Names.systemAccountKeys(main)).get();
    Secret sysCreds = client.secrets().inNamespace(NS).withName(Names.systemCreds(main)).get();

    h.create(Fixtures.account(NS, main + "-system"));
    Account account =
        h.awaitCondition(
            Account.class,
            NS,
            main + "-system",
            ConditionType.READY,
            Conditions.FALSE,
            Reason.SECRET_CONFLICT);
    String message = Conditions.message(account.getStatus().getConditions(), ConditionType.READY);
    assertTrue(
        message.contains(Names.systemAccountKeys(main)) && message.contains("Operator " + main),
        message);
    assertNull(account.getStatus().getPublicKey(), "the system account's identity is not taken");

    h.create(Fixtures.account(NS, "x"));
    h.awaitReady(Account.class, NS, "x");
    h.create(Fixtures.user(NS, main + "-system", "x"));
    User user =
        h.awaitCondition(
            User.class,
            NS,
            main + "-system",
            ConditionType.READY,
            Conditions.FALSE,
            Reason.SECRET_CONFLICT);
    assertNull(user.getStatus().getPublicKey(), "no user key issued into the system user's creds");

    assertEquals(
        sysKeys.getMetadata().getResourceVersion(),
        client
            .secrets()
            .inNamespace(NS)
            .withName(Names.systemAccountKeys(main))
            .get()
            .getMetadata()
            .getResourceVersion(),
        "the system account keys are untouched, labels included");
    assertEquals(
        sysCreds.getMetadata().getResourceVersion(),
        client
            .secrets()
            .inNamespace(NS)
            .withName(Names.systemCreds(main))
            .get()
            .getMetadata()
            .getResourceVersion(),
        "the system creds are untouched");
    Operator after = h.awaitReady(Operator.class, NS, main);
    assertEquals(
        op.getStatus().getSystemAccount().getJwt(), after.getStatus().getSystemAccount().getJwt());
  }
}
