package dev.nats.accounts.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Maps decoded payload JSON back to the claims records. Absent numbers read as 0, as in Go. */
final class ClaimsReader {
  private ClaimsReader() {}

  static OperatorClaims operator(DecodedJwt d) {
    JsonNode n = d.payload().path("nats");
    return new OperatorClaims(
        d.name(),
        d.subject(),
        strings(n.get("signing_keys")),
        text(n, "system_account"),
        strings(n.get("operator_service_urls")),
        text(n, "account_server_url"),
        n.path("strict_signing_key_usage").asBoolean(false),
        text(n, "assert_server_version"),
        strings(n.get("tags")));
  }

  static AccountClaims account(DecodedJwt d) {
    JsonNode n = d.payload().path("nats");
    List<Import> imports = new ArrayList<>();
    for (JsonNode i : iterable(n.get("imports"))) {
      if (i.hasNonNull("to") && !i.path("to").asText().isEmpty()) {
        throw new JwtException(
            "import of \""
                + i.path("subject").asText()
                + "\" uses the deprecated 'to' field, which is not supported; use local_subject");
      }
      imports.add(
          new Import(
              text(i, "name"),
              text(i, "subject"),
              text(i, "account"),
              text(i, "token"),
              text(i, "local_subject"),
              ExportType.ofJson(i.path("type").asText()),
              i.path("share").asBoolean(false)));
    }
    List<Export> exports = new ArrayList<>();
    for (JsonNode e : iterable(n.get("exports"))) {
      ServiceLatency lat = null;
      if (e.hasNonNull("service_latency")) {
        JsonNode l = e.get("service_latency");
        lat = new ServiceLatency(l.path("sampling").asText(), text(l, "results"));
      }
      long threshold = e.path("response_threshold").asLong(0);
      exports.add(
          new Export(
              text(e, "name"),
              text(e, "subject"),
              ExportType.ofJson(e.path("type").asText()),
              e.path("token_req").asBoolean(false),
              longs(e.get("revocations")),
              ResponseType.ofJson(e.path("response_type").asText()),
              threshold == 0 ? null : Duration.ofNanos(threshold),
              lat,
              e.path("account_token_position").asInt(0),
              e.path("advertise").asBoolean(false),
              text(e, "description"),
              text(e, "info_url")));
    }
    List<SigningKey> keys = new ArrayList<>();
    for (JsonNode k : iterable(n.get("signing_keys"))) {
      if (k.isTextual()) {
        keys.add(new SigningKey.Plain(k.asText()));
      } else if ("user_scope".equals(k.path("kind").asText())) {
        keys.add(
            new SigningKey.Scoped(
                text(k, "key"),
                text(k, "role"),
                permissionLimits(k.path("template")),
                text(k, "description")));
      } else {
        throw new JwtException("unknown signing key scope kind " + k.path("kind"));
      }
    }
    Map<String, List<Mapping>> mappings = new LinkedHashMap<>();
    JsonNode m = n.get("mappings");
    if (m != null && m.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        List<Mapping> to = new ArrayList<>();
        for (JsonNode w : iterable(e.getValue())) {
          to.add(new Mapping(text(w, "subject"), w.path("weight").asInt(0), text(w, "cluster")));
        }
        mappings.put(e.getKey(), to);
      }
    }
    JsonNode dp = n.get("default_permissions");
    return new AccountClaims(
        d.name(),
        d.subject(),
        imports,
        exports,
        limits(n.path("limits")),
        keys,
        longs(n.get("revocations")),
        dp == null || dp.isNull() ? null : permissions(dp),
        mappings,
        text(n, "description"),
        text(n, "info_url"),
        strings(n.get("tags")),
        d.expires());
  }

  static UserClaims user(DecodedJwt d) {
    JsonNode n = d.payload().path("nats");
    return new UserClaims(
        d.name(),
        d.subject(),
        text(n, "issuer_account"),
        permissionLimits(n),
        strings(n.get("tags")),
        d.expires());
  }

  static ActivationClaims activation(DecodedJwt d) {
    JsonNode n = d.payload().path("nats");
    return new ActivationClaims(
        d.name(),
        d.subject(),
        text(n, "subject"),
        ExportType.ofJson(n.path("kind").asText()),
        text(n, "issuer_account"),
        d.expires());
  }

  static DeleteRequest deleteRequest(DecodedJwt d) {
    JsonNode n = d.payload().path("nats");
    if (!n.has("accounts")) {
      throw new JwtException("generic JWT has no nats.accounts; not a delete request");
    }
    return new DeleteRequest(d.subject(), strings(n.get("accounts")));
  }

  private static AccountLimits limits(JsonNode l) {
    Map<String, JetStreamLimits> tiers = new LinkedHashMap<>();
    JsonNode t = l.get("tiered_limits");
    if (t != null && t.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        tiers.put(e.getKey(), jetStream(e.getValue()));
      }
    }
    return new AccountLimits(
        l.path("subs").asLong(0),
        l.path("data").asLong(0),
        l.path("payload").asLong(0),
        l.path("imports").asLong(0),
        l.path("exports").asLong(0),
        l.path("wildcards").asBoolean(false),
        l.path("disallow_bearer").asBoolean(false),
        l.path("conn").asLong(0),
        l.path("leaf").asLong(0),
        jetStream(l),
        tiers);
  }

  private static JetStreamLimits jetStream(JsonNode j) {
    return new JetStreamLimits(
        j.path("mem_storage").asLong(0),
        j.path("disk_storage").asLong(0),
        j.path("streams").asLong(0),
        j.path("consumer").asLong(0),
        j.path("max_ack_pending").asLong(0),
        j.path("mem_max_stream_bytes").asLong(0),
        j.path("disk_max_stream_bytes").asLong(0),
        j.path("max_bytes_required").asBoolean(false));
  }

  private static UserPermissionLimits permissionLimits(JsonNode n) {
    List<TimeRange> times = new ArrayList<>();
    for (JsonNode t : iterable(n.get("times"))) {
      times.add(new TimeRange(text(t, "start"), text(t, "end")));
    }
    JsonNode src = n.get("src");
    List<String> cidrs;
    if (src != null && src.isTextual()) {
      cidrs = new ArrayList<>();
      for (String s : src.asText().split(",")) {
        if (!s.isBlank()) {
          cidrs.add(s.strip().toLowerCase());
        }
      }
    } else {
      cidrs = strings(src);
    }
    return new UserPermissionLimits(
        permissions(n),
        cidrs,
        times,
        text(n, "times_location"),
        new UserLimits(
            n.path("subs").asLong(0), n.path("data").asLong(0), n.path("payload").asLong(0)),
        n.path("bearer_token").asBoolean(false),
        strings(n.get("allowed_connection_types")));
  }

  private static Permissions permissions(JsonNode n) {
    ResponsePermission resp = null;
    if (n.hasNonNull("resp")) {
      JsonNode r = n.get("resp");
      resp =
          new ResponsePermission(r.path("max").asInt(0), Duration.ofNanos(r.path("ttl").asLong(0)));
    }
    return new Permissions(permission(n.get("pub")), permission(n.get("sub")), resp);
  }

  private static Permission permission(JsonNode n) {
    if (n == null || n.isNull()) {
      return Permission.NONE;
    }
    return new Permission(strings(n.get("allow")), strings(n.get("deny")));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : iterable(n)) {
      out.add(s.asText());
    }
    return out;
  }

  private static Map<String, Long> longs(JsonNode n) {
    Map<String, Long> out = new LinkedHashMap<>();
    if (n != null && n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(e.getKey(), e.getValue().asLong());
      }
    }
    return out;
  }

  private static Iterable<JsonNode> iterable(JsonNode n) {
    return n == null || !n.isArray() ? List.of() : n;
  }
}
