package dev.nats.accounts.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PushResultTest {

  static final ServerReply OK_1 = ServerReply.parse(ServerReplyTest.UPDATED);
  static final ServerReply OK_2 = new ServerReply("N2", "two", true, 200, "jwt updated");
  static final ServerReply FAIL = ServerReply.parse(ServerReplyTest.BAD_SIGNATURE);

  @Test
  void allServersAccepted() {
    PushResult r = new PushResult(List.of(OK_1, OK_2), 2);
    assertTrue(r.acknowledged());
    assertTrue(r.allAcknowledged());
    assertEquals(List.of(), r.errors());
    assertEquals(0, r.missing());
  }

  @Test
  void silentServerMeansNotAll() {
    PushResult r = new PushResult(List.of(OK_1), 3);
    assertTrue(r.acknowledged());
    assertFalse(r.allAcknowledged());
    assertEquals(2, r.missing());
  }

  @Test
  void oneRefusalSpoilsIt() {
    PushResult r = new PushResult(List.of(OK_1, FAIL), 2);
    assertFalse(r.acknowledged());
    assertFalse(r.allAcknowledged());
    assertEquals(List.of(FAIL), r.errors());
  }

  @Test
  void noReplyIsNotAcknowledged() {
    PushResult r = new PushResult(List.of(), 1);
    assertFalse(r.acknowledged());
    assertFalse(r.allAcknowledged());
    assertEquals(1, r.missing());
  }

  @Test
  void listParsing() {
    String body = "{\"data\":[\"AAA\",\"BBB\"],\"server\":" + ServerReplyTest.SERVER + "}";
    assertEquals(List.of("AAA", "BBB"), ResolverClient.parseList(body.getBytes()));
    org.junit.jupiter.api.Assertions.assertThrows(
        ResolverException.class, () -> ResolverClient.parseList("{\"error\":{}}".getBytes()));
  }
}
