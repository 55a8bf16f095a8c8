package dev.nats.accounts.apiserver;

import dev.nats.accounts.testing.ApiServerExtension;
import dev.nats.accounts.testing.ErrorPathScenarios;
import dev.nats.accounts.testing.OperatorHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one error path on a real kube-apiserver: these specs pass its admission (schema, patterns,
 * CEL) and fail in the claims builders; each ends as Ready=False with the field named, one Warning
 * Event, and no retry loop.
 */
@Tag("apiserver")
class ErrorPathApiServerTest {
  @RegisterExtension static final ApiServerExtension API = new ApiServerExtension();
  @TempDir static Path dir;
  static OperatorHarness h;

  @BeforeAll
  static void start() throws Exception {
    API.namespaces("nats", "errors-account", "errors-user", "errors-conflict");
    h = OperatorHarness.start(API.client(), dir);
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void anAccountLimitNoJwtCanHoldIsReportedAndTheLastGoodJwtStays() {
    ErrorPathScenarios.accountLimitTooLargeForTheJwt(h, "errors-account");
  }

  @Test
  void aCredsSecretNameTakenByAForeignSecretIsReportedAndLeftUntouched() {
    ErrorPathScenarios.credsSecretNameTakenByAForeignSecret(h, "errors-conflict");
  }

  @Test
  void userSpecsThatPassAdmissionButNotTheBuildersAreReported() {
    ErrorPathScenarios.userSpecsTheBuildersRefuse(h, "errors-user");
  }
}
