package dev.nats.accounts.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.nats.ResolverClient.Holdings;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResolverCopiesTest {
  static final KeyPair OPERATOR = KeyPair.create(KeyType.OPERATOR);
  static final KeyPair ACCOUNT = KeyPair.create(KeyType.ACCOUNT);
  static final String A = ACCOUNT.publicKey();

  static String jwt(String name, long iat) {
    return JwtEncoder.encode(AccountClaims.builder(name, A).build(), OPERATOR, iat);
  }

  static Holdings holding(String server, String... accounts) {
    return new Holdings(server, Set.of(accounts));
  }

  @Test
  void everyServerHoldingTheOperatorsJwtIsInSync() {
    String ours = jwt("a", 1000);
    ResolverCopies c =
        ResolverCopies.compare(
            ours, A, List.of(ours, ours), List.of(holding("n1", A), holding("n2", A)));
    assertTrue(c.ok());
    assertEquals("2/2 in sync", c.summary());
  }

  @Test
  void olderCopiesAreStaleNewerOnesDifferAndLackingServersAreNamed() {
    String ours = jwt("a", 1000);
    ResolverCopies c =
        ResolverCopies.compare(
            ours,
            A,
            List.of(ours, jwt("a", 999), jwt("other", 1000), ""),
            List.of(
                holding("n1", A),
                holding("n2", A),
                holding("n3", A),
                holding("n4"),
                holding("n0")));
    assertFalse(c.ok());
    assertEquals(
        new ResolverCopies(5, 1, 1, 1, 0, List.of("n0", "n4")), c, "the empty reply is n4's");
    assertEquals(
        "1/5 in sync, 1 stale (issued before the operator's JWT), 1 differing (not the operator's"
            + " JWT), missing on n0, n4",
        c.summary());
  }

  @Test
  void aServerListingTheAccountWithoutSendingItIsCounted() {
    String ours = jwt("a", 1000);
    ResolverCopies c =
        ResolverCopies.compare(ours, A, List.of(ours), List.of(holding("n1", A), holding("n2", A)));
    assertEquals("1/2 in sync, 1 sent no copy in time", c.summary());
    assertFalse(c.ok());
  }

  @Test
  void anUnreadableCopyIsStaleAndNoAnswerIsNotOk() {
    String ours = jwt("a", 1000);
    ResolverCopies c =
        ResolverCopies.compare(ours, A, List.of("garbage"), List.of(holding("n1", A)));
    assertEquals(1, c.stale());
    ResolverCopies none = ResolverCopies.compare(ours, A, List.of(), List.of());
    assertFalse(none.ok());
    assertEquals("no resolver answered", none.summary());
  }
}
