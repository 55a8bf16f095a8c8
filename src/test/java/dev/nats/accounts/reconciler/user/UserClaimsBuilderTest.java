package dev.nats.accounts.reconciler.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.UserSpec;
import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.InvalidClaimsException;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.jwt.Permission;
import dev.nats.accounts.jwt.Permissions;
import dev.nats.accounts.jwt.SigningKey;
import dev.nats.accounts.jwt.UserClaims;
import dev.nats.accounts.jwt.UserLimits;
import dev.nats.accounts.jwt.UserPermissionLimits;
import java.util.List;
import org.junit.jupiter.api.Test;

/** User claims: a scoped key's users carry nothing of their own, plain users carry their spec. */
class UserClaimsBuilderTest {
  private static final KeyPair ACCOUNT = KeyPair.create(KeyType.ACCOUNT);
  private static final KeyPair PLAIN_SK = KeyPair.create(KeyType.ACCOUNT);
  private static final KeyPair SCOPED_SK = KeyPair.create(KeyType.ACCOUNT);
  private static final KeyPair USER = KeyPair.create(KeyType.USER);
  private static final AccountClaims ACCOUNT_CLAIMS =
      AccountClaims.builder("a", ACCOUNT.publicKey())
          .addSigningKey(PLAIN_SK.publicKey())
          .addSigningKey(
              new SigningKey.Scoped(
                  SCOPED_SK.publicKey(), "apps", UserPermissionLimits.UNLIMITED, null))
          .build();

  @Test
  void plainUserCarriesItsPermissionsAndUnlimitedLimits() {
    UserClaims c =
        UserClaimsBuilder.build(
            "b", specWithPublish("help"), USER.publicKey(), ACCOUNT.publicKey(), false);

    assertEquals("b", c.name());
    assertEquals(USER.publicKey(), c.subject());
    assertEquals(ACCOUNT.publicKey(), c.issuerAccount());
    assertEquals(
        new Permissions(new Permission(List.of("help"), List.of()), null, null),
        c.perms().permissions());
    assertEquals(new UserLimits(-1, -1, -1), c.perms().limits());
    assertNull(c.expires());
    // a plain signing key may sign it
    JwtEncoder.encode(c, PLAIN_SK, ACCOUNT_CLAIMS, 1_700_000_000L);
  }

  @Test
  void scopedUserIsEmptyEvenWhenTheSpecSetsPermissions() {
    UserClaims c =
        UserClaimsBuilder.build(
            "b", specWithPublish("help"), USER.publicKey(), ACCOUNT.publicKey(), true);

    assertEquals(UserPermissionLimits.EMPTY, c.perms());
    assertEquals(ACCOUNT.publicKey(), c.issuerAccount());
    // and the scoped key may sign exactly this
    JwtEncoder.encode(c, SCOPED_SK, ACCOUNT_CLAIMS, 1_700_000_000L);
  }

  @Test
  void plainClaimsSignedByAScopedKeyAreRefused() {
    // the reason the builder empties scoped users: the encoder (like nats-server) refuses otherwise
    UserClaims c =
        UserClaimsBuilder.build("b", new UserSpec(), USER.publicKey(), ACCOUNT.publicKey(), false);

    InvalidClaimsException e =
        assertThrows(
            InvalidClaimsException.class,
            () -> JwtEncoder.encode(c, SCOPED_SK, ACCOUNT_CLAIMS, 1_700_000_000L));
    assertTrue(e.getMessage().contains("perms"), e.getMessage());
  }

  @Test
  void displayNameWins() {
    UserSpec s = new UserSpec();
    s.setDisplayName("Bee");

    assertEquals(
        "Bee",
        UserClaimsBuilder.build("b", s, USER.publicKey(), ACCOUNT.publicKey(), false).name());
  }

  private static UserSpec specWithPublish(String subject) {
    UserSpec s = new UserSpec();
    var p = new dev.nats.accounts.api.v1alpha1.Permissions();
    var pub = new dev.nats.accounts.api.v1alpha1.Permission();
    pub.setAllow(List.of(subject));
    p.setPublish(pub);
    s.setPermissions(p);
    return s;
  }
}
