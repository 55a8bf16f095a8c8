package dev.nats.accounts.reconciler.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.User;
import dev.nats.accounts.api.v1alpha1.UserSpec;
import dev.nats.accounts.jwt.Creds;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.jwt.UserClaims;
import dev.nats.accounts.jwt.UserPermissionLimits;
import dev.nats.accounts.owned.Ownership;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The creds Secret a User gets: the standard creds file and its parts, owned by the User. */
class CredsSecretsTest {
  private static final KeyPair ACCOUNT = KeyPair.create(KeyType.ACCOUNT);
  private static final KeyPair USER = KeyPair.create(KeyType.USER);

  @Test
  void rendersTheThreeEntries() {
    String jwt = userJwt();

    Secret s = CredsSecrets.render(user(), "b-creds", jwt, USER.seed());

    assertEquals(List.of("user.creds", "user.jwt", "user.seed"), List.copyOf(s.getData().keySet()));
    assertEquals(jwt, decode(s, CredsSecrets.JWT));
    assertEquals(USER.seed(), decode(s, CredsSecrets.SEED));
    assertEquals(Creds.format(jwt, USER.seed()), decode(s, CredsSecrets.CREDS));
    assertEquals("Opaque", s.getType());
  }

  @Test
  void credsTextParsesBackToTheSameJwtAndKey() {
    String jwt = userJwt();

    Creds.Parsed p =
        Creds.parse(
            decode(CredsSecrets.render(user(), "b-creds", jwt, USER.seed()), CredsSecrets.CREDS));

    assertEquals(jwt, p.jwt());
    assertEquals(USER.publicKey(), p.keyPair().publicKey());
  }

  @Test
  void metadataNamesTheUserAndIsControlledByIt() {
    Secret s = CredsSecrets.render(user(), "custom-creds", userJwt(), USER.seed());

    assertEquals("custom-creds", s.getMetadata().getName());
    assertEquals("tenant-b", s.getMetadata().getNamespace());
    assertEquals(
        Map.of(
            Ownership.MANAGED_BY_LABEL,
            Ownership.MANAGED_BY,
            Ownership.KIND_LABEL,
            "User",
            Ownership.OWNER_LABEL,
            "b"),
        s.getMetadata().getLabels());
    assertEquals(1, s.getMetadata().getOwnerReferences().size());
    OwnerReference o = s.getMetadata().getOwnerReferences().get(0);
    assertEquals("accounts.nats.dev/v1alpha1", o.getApiVersion());
    assertEquals("User", o.getKind());
    assertEquals("b", o.getName());
    assertEquals("uid-of-b", o.getUid());
    assertEquals(Boolean.TRUE, o.getController());
    assertEquals(Boolean.TRUE, o.getBlockOwnerDeletion());
  }

  @Test
  void aSeedOfTheWrongTypeIsRefusedWithoutEchoingIt() {
    String accountSeed = ACCOUNT.seed();

    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () -> CredsSecrets.render(user(), "b-creds", userJwt(), accountSeed));
    assertFalse(e.getMessage().contains(accountSeed), "message leaks the seed: " + e.getMessage());
    assertTrue(e.getMessage().toLowerCase().contains("user"), e.getMessage());
  }

  private static String userJwt() {
    UserClaims c = UserClaims.of("b", USER.publicKey(), UserPermissionLimits.UNLIMITED);
    return JwtEncoder.encode(c, ACCOUNT, 1_700_000_000L);
  }

  private static User user() {
    User u = new User();
    u.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("tenant-b")
            .withName("b")
            .withUid("uid-of-b")
            .build());
    u.setSpec(new UserSpec());
    return u;
  }

  private static String decode(Secret s, String key) {
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
  }
}
