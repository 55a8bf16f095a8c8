package dev.nats.accounts.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.jwt.InvalidClaimsException;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.jwt.Violation;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.ErrorPathScenarios;
import dev.nats.accounts.testing.OnMockApi;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one error path on the mock API: exceptions from builders become Ready=False, an Event, no
 * retry loop; a Secret name taken by someone else is SecretConflict and left alone.
 */
class ErrorPathTest extends OnMockApi {

  @Test
  void anAccountLimitNoJwtCanHoldIsReportedAndTheLastGoodJwtStays() {
    ErrorPathScenarios.accountLimitTooLargeForTheJwt(h, "tenant-a");
  }

  @Test
  void aCredsSecretNameTakenByAForeignSecretIsReportedAndLeftUntouched() {
    ErrorPathScenarios.credsSecretNameTakenByAForeignSecret(h, "tenant-c");
  }

  @Test
  void userSpecsThatPassAdmissionButNotTheBuildersAreReported() {
    ErrorPathScenarios.userSpecsTheBuildersRefuse(h, "tenant-u");
  }

  @Test
  void failuresAreClassifiedAndNeverCarryASeed() {
    String seed = KeyPair.create(KeyType.USER).seed();
    Failure spec = Failure.of(new InvalidSpecException("spec.limits.data", "too large"));
    assertEquals(new Failure(Reason.INVALID_SPEC, "spec.limits.data: too large", true), spec);

    Failure claims =
        Failure.of(
            new InvalidClaimsException(
                "user", List.of(new Violation("perms.sourceNetworks[0]", "not a CIDR"))));
    assertEquals(Reason.INVALID_SPEC, claims.reason());
    assertTrue(claims.permanent());
    assertTrue(claims.message().contains("perms.sourceNetworks[0]"), claims.message());

    Failure api = Failure.of(new KubernetesClientException("conflict", 409, null));
    assertEquals(Reason.API_SERVER_ERROR, api.reason());
    assertFalse(api.permanent(), "the API server may answer next time");

    Failure bug = Failure.of(new IllegalStateException("cannot parse " + seed + " here"));
    assertEquals(Reason.RECONCILE_ERROR, bug.reason());
    assertFalse(bug.message().contains(seed), bug.message());
    assertTrue(bug.message().contains("S<seed redacted>"), bug.message());
  }
}
