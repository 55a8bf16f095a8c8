package dev.nats.accounts.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CredsTest {
  private static final String STARS61 =
      "*************************************************************";

  @Test
  void formatIsByteExactAndRoundTrips() {
    KeyPair user = KeyPair.create(KeyType.USER);
    String jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.e30.c2ln";
    String expected =
        "-----BEGIN NATS USER JWT-----\n"
            + jwt
            + "\n"
            + "------END NATS USER JWT------\n"
            + "\n"
            + "************************* IMPORTANT *************************\n"
            + "NKEY Seed printed below can be used to sign and prove identity.\n"
            + "NKEYs are sensitive and should be treated as secrets.\n"
            + "\n"
            + "-----BEGIN USER NKEY SEED-----\n"
            + user.seed()
            + "\n"
            + "------END USER NKEY SEED------\n"
            + "\n"
            + STARS61
            + "\n";
    String creds = Creds.format(jwt, user.seed());
    assertEquals(expected, creds);
    assertEquals(61, STARS61.length());
    Creds.Parsed p = Creds.parse(creds);
    assertEquals(jwt, p.jwt());
    assertEquals(user.seed(), p.seed());
    assertFalse(p.toString().contains(user.seed()));
    assertEquals(p, Creds.parse(creds.replace("\n", "\r\n")));
  }

  @Test
  void rejectsNonUserSeedWithoutEchoingIt() {
    KeyPair acc = KeyPair.create(KeyType.ACCOUNT);
    JwtException e = assertThrows(JwtException.class, () -> Creds.format("a.b.c", acc.seed()));
    assertFalse(e.getMessage().contains(acc.seed()));
    assertEquals("expected a user seed but got an account seed", e.getMessage());
  }
}
