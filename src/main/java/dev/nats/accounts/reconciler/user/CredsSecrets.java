package dev.nats.accounts.reconciler.user;

import dev.nats.accounts.jwt.Creds;
import dev.nats.accounts.owned.OwnedObjects;
import dev.nats.accounts.owned.Owner;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Map;

/**
 * The creds Secret of a User: the standard creds file plus its two parts, controlled by the User.
 */
public final class CredsSecrets {
  public static final String CREDS = "user.creds";
  public static final String JWT = "user.jwt";
  public static final String SEED = "user.seed";

  private CredsSecrets() {}

  /** What the User's creds Secret should hold; the owner-controlled metadata comes with it. */
  public static OwnedObjects.Desired desired(String secretName, String jwt, String seed) {
    return new OwnedObjects.Desired(
        secretName,
        Map.of(CREDS, Creds.format(jwt, seed), JWT, jwt, SEED, seed),
        Map.of(),
        null,
        true);
  }

  public static Secret render(HasMetadata owner, String secretName, String jwt, String seed) {
    return OwnedObjects.secret(Owner.of(owner), desired(secretName, jwt, seed));
  }
}
