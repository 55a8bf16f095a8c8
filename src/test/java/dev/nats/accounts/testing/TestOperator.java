package dev.nats.accounts.testing;

import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.DeleteRequest;
import dev.nats.accounts.jwt.IssuedAt;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.jwt.OperatorClaims;
import dev.nats.accounts.nats.ResolverConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An operator identity set up the way the product sets one up: an identity key that only signs the
 * operator JWT, one operator signing key for everything else (strict signing key usage), and a
 * system account with a system user. Plain Java so that it works outside JUnit too.
 */
public final class TestOperator {

  private final KeyPair identity;
  private final KeyPair signingKey;
  private final String jwt;
  private final TestAccount system;
  private final String systemUserCreds;

  private TestOperator(
      KeyPair identity,
      KeyPair signingKey,
      String jwt,
      TestAccount system,
      String systemUserCreds) {
    this.identity = identity;
    this.signingKey = signingKey;
    this.jwt = jwt;
    this.system = system;
    this.systemUserCreds = systemUserCreds;
  }

  public static TestOperator create(String name) {
    KeyPair identity = KeyPair.create(KeyType.OPERATOR);
    KeyPair signingKey = KeyPair.create(KeyType.OPERATOR);
    TestAccount system = newAccount(signingKey, "SYS", UnaryOperator.identity());
    OperatorClaims claims =
        OperatorClaims.of(name, identity.publicKey())
            .withSigningKeys(List.of(signingKey.publicKey()))
            .withSystemAccount(system.pub())
            .withStrictSigningKeyUsage(true);
    String jwt = JwtEncoder.encode(claims, identity, IssuedAt.next(0));
    return new TestOperator(identity, signingKey, jwt, system, system.userCreds("sys"));
  }

  /**
   * A new account (new keys, unlimited limits, one plain signing key), signed but not pushed.
   * {@code customize} adds exports, imports, limits, scoped keys...
   */
  public TestAccount newAccount(String name, UnaryOperator<AccountClaims.Builder> customize) {
    return newAccount(signingKey, name, customize);
  }

  private static TestAccount newAccount(
      KeyPair operatorSigner, String name, UnaryOperator<AccountClaims.Builder> customize) {
    KeyPair identity = KeyPair.create(KeyType.ACCOUNT);
    KeyPair accountSigner = KeyPair.create(KeyType.ACCOUNT);
    AccountClaims claims =
        customize
            .apply(
                AccountClaims.builder(name, identity.publicKey())
                    .addSigningKey(accountSigner.publicKey()))
            .build();
    long iat = IssuedAt.next(0);
    return new TestAccount(
        identity, accountSigner, claims, JwtEncoder.encode(claims, operatorSigner, iat), iat);
  }

  /** Re-signs {@code account} with changed claims and a strictly larger iat (not pushed). */
  public TestAccount update(TestAccount account, UnaryOperator<AccountClaims.Builder> change) {
    AccountClaims claims = change.apply(account.claims().toBuilder()).build();
    long iat = IssuedAt.next(account.iat());
    return new TestAccount(
        account.identity(),
        account.signingKey(),
        claims,
        JwtEncoder.encode(claims, signingKey, iat),
        iat);
  }

  /** A {@code $SYS.REQ.CLAIMS.DELETE} payload signed by the operator signing key. */
  public String deleteRequest(String... accounts) {
    return JwtEncoder.encode(
        new DeleteRequest(signingKey.publicKey(), List.of(accounts)), signingKey, IssuedAt.next(0));
  }

  /** A full resolver in {@code jwtDir} with deletes allowed, as the tests and the demo run it. */
  public ResolverConfig resolverConfig(Path jwtDir) {
    return ResolverConfig.full(
        jwt, system.pub(), system.jwt(), jwtDir.toString(), true, Duration.ofMinutes(2));
  }

  public KeyPair identity() {
    return identity;
  }

  public KeyPair signingKey() {
    return signingKey;
  }

  public String jwt() {
    return jwt;
  }

  public TestAccount system() {
    return system;
  }

  public String systemUserCreds() {
    return systemUserCreds;
  }

  @Override
  public String toString() {
    return "TestOperator[" + identity.publicKey() + ", signing " + signingKey.publicKey() + "]";
  }
}
