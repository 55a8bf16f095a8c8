package dev.nats.accounts.nats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One server's answer to a resolver request ({@code $SYS.REQ.CLAIMS.UPDATE} or {@code .DELETE}).
 *
 * <p>The decision is taken on {@code data.code} / {@code error.code}, not on message text, because
 * the texts differ between resolver types and server versions while the codes do not.
 */
public record ServerReply(
    String serverId, String serverName, boolean ok, int code, String message) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Code used for replies that are not the JSON shape the server documents. */
  public static final int UNPARSEABLE = -1;

  public static ServerReply parse(byte[] body) {
    return parse(new String(body, StandardCharsets.UTF_8));
  }

  /**
   * Parses a status reply such as {@code {"data":{"account":"A…","code":200,"message":"jwt
   * updated"},"server":{"name":"…","id":"N…",…}}} or {@code
   * {"error":{"account":"n/a","code":500,"description":"…"},"server":{…}}}. Anything else becomes a
   * non-ok reply with code {@link #UNPARSEABLE}, so a broken reply is never mistaken for an
   * acknowledgement.
   */
  public static ServerReply parse(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      return unparseable(null, null, body);
    }
    if (root == null || !root.isObject()) {
      return unparseable(null, null, body);
    }
    JsonNode server = root.path("server");
    String id = textOrNull(server.get("id"));
    String name = textOrNull(server.get("name"));
    JsonNode error = root.get("error");
    if (error != null && error.isObject()) {
      return new ServerReply(
          id,
          name,
          false,
          error.path("code").asInt(UNPARSEABLE),
          textOrNull(error.get("description")));
    }
    JsonNode data = root.get("data");
    if (data != null && data.isObject() && data.path("code").canConvertToInt()) {
      int code = data.path("code").asInt();
      return new ServerReply(
          id, name, code >= 200 && code < 300, code, textOrNull(data.get("message")));
    }
    return unparseable(id, name, body);
  }

  private static ServerReply unparseable(String id, String name, String body) {
    String shown = body.length() > 200 ? body.substring(0, 200) + "…" : body;
    return new ServerReply(id, name, false, UNPARSEABLE, "unexpected reply: " + shown);
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }
}
