package dev.nats.accounts.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reply strings are the ones nats-server 2.9.10 sent in verified-facts.md. */
class ServerReplyTest {

  static final String SERVER =
      "{\"name\":\"proto\",\"host\":\"127.0.0.1\","
          + "\"id\":\"NDYJNKSWWQLHYPVIY2CBD2JX4YVBJUJHA77MVXTYMJ4TDUWTSM5PNYYR\",\"ver\":\"2.9.10\",\"seq\":13,"
          + "\"jetstream\":false,\"time\":\"2026-11-29T02:27:36.622956206Z\"}";
  static final String SERVER_ID = "NDYJNKSWWQLHYPVIY2CBD2JX4YVBJUJHA77MVXTYMJ4TDUWTSM5PNYYR";

  static final String UPDATED =
      "{\"data\":{\"account\":\"ADHSBKYWRQTKGVLKU2JWWMRT74PR53H6UPDSEGVE7E4ALOYWIDIHGUF6\","
          + "\"code\":200,\"message\":\"jwt updated\"},\"server\":"
          + SERVER
          + "}";
  static final String BAD_SIGNATURE =
      "{\"error\":{\"account\":\"n/a\",\"code\":500,\"description\":"
          + "\"jwt update resulted in error - claim failed V2 signature verification\"},\"server\":"
          + SERVER
          + "}";
  static final String VALIDATION =
      "{\"error\":{\"account\":\"ABGY7EWOLUKD2D5JOW7AZF62T7CGVBHC2QVAEMA6NWE2ST4VICAXHPLS\","
          + "\"code\":500,\"description\":\"jwt validation failed - validation errors: [activation token doesn't "
          + "match account it is being included in, \\\"private.help.ACELF3QKHGP6FZ6WINUGIW7DLCOKXKJFEUBBN5VPNUF24FDCOND5HTHO\\\"]\"},"
          + "\"server\":"
          + SERVER
          + "}";
  static final String WRONG_SUBJECT =
      "{\"error\":{\"account\":\"ACELF3QKHGP6FZ6WINUGIW7DLCOKXKJFEUBBN5VPNUF24FDCOND5HTHO\","
          + "\"code\":500,\"description\":\"jwt update resulted in error - subject does not match jwt content\"},"
          + "\"server\":"
          + SERVER
          + "}";
  static final String DELETED =
      "{\"data\":{\"code\":200,\"message\":\"deleted 1 accounts\"},\"server\":" + SERVER + "}";
  static final String DELETE_SYS =
      "{\"error\":{\"code\":500,\"description\":\"delete accounts request by OA43"
          + " failed - not allowed to delete system account\"},\"server\":"
          + SERVER
          + "}";

  @Test
  void updatedIsOk() {
    ServerReply r = ServerReply.parse(UPDATED.getBytes(StandardCharsets.UTF_8));
    assertEquals(new ServerReply(SERVER_ID, "proto", true, 200, "jwt updated"), r);
  }

  @Test
  void badSignatureIsAnError() {
    ServerReply r = ServerReply.parse(BAD_SIGNATURE);
    assertFalse(r.ok());
    assertEquals(500, r.code());
    assertEquals(
        "jwt update resulted in error - claim failed V2 signature verification", r.message());
    assertEquals(SERVER_ID, r.serverId());
  }

  @Test
  void validationFailureKeepsTheDescription() {
    ServerReply r = ServerReply.parse(VALIDATION);
    assertFalse(r.ok());
    assertEquals(500, r.code());
    assertTrue(
        r.message()
            .startsWith(
                "jwt validation failed - validation errors: [activation token doesn't match"),
        r.message());
    assertTrue(
        r.message()
            .endsWith(
                "\"private.help.ACELF3QKHGP6FZ6WINUGIW7DLCOKXKJFEUBBN5VPNUF24FDCOND5HTHO\"]"));
  }

  @Test
  void wrongSubjectIsAnError() {
    ServerReply r = ServerReply.parse(WRONG_SUBJECT);
    assertEquals(
        new ServerReply(
            SERVER_ID,
            "proto",
            false,
            500,
            "jwt update resulted in error - subject does not match jwt content"),
        r);
  }

  @Test
  void deleteRepliesHaveNoAccount() {
    assertEquals(
        new ServerReply(SERVER_ID, "proto", true, 200, "deleted 1 accounts"),
        ServerReply.parse(DELETED));
    ServerReply refused = ServerReply.parse(DELETE_SYS);
    assertFalse(refused.ok());
    assertTrue(refused.message().endsWith("not allowed to delete system account"));
  }

  @Test
  void garbageIsNeverOk() {
    for (String body :
        List.of(
            "",
            "not json",
            "[]",
            "{}",
            "{\"data\":{\"message\":\"jwt updated\"}}",
            "{\"data\":{\"code\":\"x\"}}",
            "eyJhbGc.eyJzdWIi.sig")) {
      ServerReply r = ServerReply.parse(body);
      assertFalse(r.ok(), body);
      assertEquals(ServerReply.UNPARSEABLE, r.code(), body);
    }
    assertNull(ServerReply.parse("{}").serverId());
  }

  @Test
  void unparseableMessageIsBounded() {
    ServerReply r = ServerReply.parse("x".repeat(5000));
    assertTrue(r.message().length() < 300);
  }
}
