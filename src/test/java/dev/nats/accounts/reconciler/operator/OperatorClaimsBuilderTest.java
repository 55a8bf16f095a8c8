package dev.nats.accounts.reconciler.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.AccountLimits;
import dev.nats.accounts.jwt.DecodedJwt;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.jwt.OperatorClaims;
import dev.nats.accounts.jwt.Permission;
import dev.nats.accounts.jwt.Permissions;
import dev.nats.accounts.jwt.SigningKey;
import dev.nats.accounts.jwt.UserClaims;
import dev.nats.accounts.jwt.UserLimits;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Claims of the trust root: operator, system account, system user. */
class OperatorClaimsBuilderTest {
  private static final KeyPair OPERATOR = KeyPair.create(KeyType.OPERATOR);
  private static final KeyPair OP_SK1 = KeyPair.create(KeyType.OPERATOR);
  private static final KeyPair OP_SK2 = KeyPair.create(KeyType.OPERATOR);
  private static final KeyPair SYS = KeyPair.create(KeyType.ACCOUNT);
  private static final KeyPair SYS_SK = KeyPair.create(KeyType.ACCOUNT);
  private static final KeyPair SYS_USER = KeyPair.create(KeyType.USER);

  @Test
  void operatorIsStrictWithItsSigningKeysAndSystemAccount() {
    OperatorClaims c =
        OperatorClaimsBuilder.operator(
            "main",
            OPERATOR.publicKey(),
            List.of(OP_SK1.publicKey(), OP_SK2.publicKey()),
            SYS.publicKey());

    assertEquals(
        new OperatorClaims(
            "main",
            OPERATOR.publicKey(),
            List.of(OP_SK1.publicKey(), OP_SK2.publicKey()),
            SYS.publicKey(),
            List.of(),
            null,
            true,
            null,
            List.of()),
        c);

    DecodedJwt d = JwtDecoder.decode(JwtEncoder.encode(c, OPERATOR, 1_700_000_000L));
    assertTrue(
        d.payload().path("nats").path("strict_signing_key_usage").asBoolean(),
        d.payload().toString());
    assertEquals(SYS.publicKey(), d.payload().path("nats").path("system_account").asText());
  }

  @Test
  void systemAccountIsUnlimitedWithOneSigningKey() {
    AccountClaims c = OperatorClaimsBuilder.systemAccount(SYS.publicKey(), SYS_SK.publicKey());

    assertEquals("SYS", c.name());
    assertEquals(SYS.publicKey(), c.subject());
    assertEquals(AccountLimits.UNLIMITED, c.limits());
    assertEquals(List.of(new SigningKey.Plain(SYS_SK.publicKey())), c.signingKeys());
    assertEquals(List.of(), c.exports());
    assertEquals(List.of(), c.imports());
    // signed by an operator signing key (strict mode) it is a valid account JWT
    assertEquals("account", JwtDecoder.decode(JwtEncoder.encode(c, OP_SK1, 1_700_000_000L)).type());
  }

  @Test
  void systemUserMayRequestSysAndReceiveReplies() {
    UserClaims u = OperatorClaimsBuilder.systemUser("main", SYS_USER.publicKey(), SYS.publicKey());

    assertEquals("main-system", u.name());
    assertEquals(SYS_USER.publicKey(), u.subject());
    assertEquals(SYS.publicKey(), u.issuerAccount());
    assertEquals(
        new Permissions(
            new Permission(List.of("$SYS.REQ.>"), List.of()),
            new Permission(List.of("_INBOX.>"), List.of()),
            null),
        u.perms().permissions());
    assertEquals(new UserLimits(-1, -1, -1), u.perms().limits());
    // the system account's signing key may sign it
    AccountClaims sys = OperatorClaimsBuilder.systemAccount(SYS.publicKey(), SYS_SK.publicKey());
    assertEquals(
        "user", JwtDecoder.decode(JwtEncoder.encode(u, SYS_SK, sys, 1_700_000_000L)).type());
  }
}
