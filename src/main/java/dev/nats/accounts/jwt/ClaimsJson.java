package dev.nats.accounts.jwt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Writes claims as JSON with Jackson's streaming generator. Reflection-based ObjectMapper on
 * records costs more than the signature for a big account, and we want exact control of what is
 * omitted (Go's omitempty) and what is always written (account limits). Map keys are written sorted
 * so that equal claims always give equal bytes, which keeps jti and {@link ClaimsHash} stable.
 */
final class ClaimsJson {
  static final JsonFactory FACTORY = JsonFactory.builder().build();

  private ClaimsJson() {}

  @FunctionalInterface
  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  /**
   * The payload without jti: {@code {"iat":..,"iss":..,"name":..,"sub":..,"exp":..,"nats":{...}}}.
   * {@code iat <= 0} and a null {@code iss} are left out (used by {@link ClaimsHash}).
   */
  static byte[] payload(long iat, String iss, String name, String sub, Long exp, Body nats) {
    ByteArrayBuilder out = new ByteArrayBuilder(1024);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      if (iat > 0) {
        g.writeNumberField("iat", iat);
      }
      stringField(g, "iss", iss);
      stringField(g, "name", name);
      stringField(g, "sub", sub);
      if (exp != null && exp > 0) {
        g.writeNumberField("exp", exp);
      }
      g.writeFieldName("nats");
      g.writeStartObject();
      nats.write(g);
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static void operator(JsonGenerator g, OperatorClaims c) throws IOException {
    stringArray(g, "signing_keys", c.signingKeys());
    stringField(g, "account_server_url", c.accountServerUrl());
    stringArray(g, "operator_service_urls", c.operatorServiceUrls());
    stringField(g, "system_account", c.systemAccount());
    stringField(g, "assert_server_version", c.assertServerVersion());
    if (c.strictSigningKeyUsage()) {
      g.writeBooleanField("strict_signing_key_usage", true);
    }
    generic(g, c.tags(), "operator");
  }

  static void account(JsonGenerator g, AccountClaims c) throws IOException {
    if (!c.imports().isEmpty()) {
      g.writeArrayFieldStart("imports");
      for (Import i : sortedImports(c.imports())) {
        importEntry(g, i);
      }
      g.writeEndArray();
    }
    if (!c.exports().isEmpty()) {
      g.writeArrayFieldStart("exports");
      for (Export e : sortedExports(c.exports())) {
        exportEntry(g, e);
      }
      g.writeEndArray();
    }
    limits(g, c.limits());
    if (!c.signingKeys().isEmpty()) {
      g.writeArrayFieldStart("signing_keys");
      for (SigningKey k : c.signingKeys()) {
        if (k instanceof SigningKey.Scoped s) {
          g.writeStartObject();
          g.writeStringField("kind", "user_scope");
          g.writeStringField("key", s.key());
          g.writeStringField("role", s.role() == null ? "" : s.role());
          g.writeFieldName("template");
          g.writeStartObject();
          userPermissionLimits(g, s.template());
          g.writeEndObject();
          stringField(g, "description", s.description());
          g.writeEndObject();
        } else {
          g.writeString(k.key());
        }
      }
      g.writeEndArray();
    }
    longMap(g, "revocations", c.revocations());
    if (c.defaultPermissions() != null) {
      g.writeFieldName("default_permissions");
      g.writeStartObject();
      permissions(g, c.defaultPermissions());
      g.writeEndObject();
    }
    if (!c.mappings().isEmpty()) {
      g.writeObjectFieldStart("mappings");
      for (String from : sortedKeys(c.mappings())) {
        g.writeArrayFieldStart(from);
        for (Mapping m : c.mappings().get(from)) {
          g.writeStartObject();
          g.writeStringField("subject", m.subject());
          if (m.weight() != 0) {
            g.writeNumberField("weight", m.weight());
          }
          stringField(g, "cluster", m.cluster());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    }
    stringField(g, "description", c.description());
    stringField(g, "info_url", c.infoUrl());
    generic(g, c.tags(), "account");
  }

  static void user(JsonGenerator g, UserClaims c) throws IOException {
    userPermissionLimits(g, c.perms());
    stringField(g, "issuer_account", c.issuerAccount());
    generic(g, c.tags(), "user");
  }

  static void activation(JsonGenerator g, ActivationClaims c) throws IOException {
    stringField(g, "subject", c.importSubject());
    if (c.kind() != null) {
      g.writeStringField("kind", c.kind().json());
    }
    stringField(g, "issuer_account", c.issuerAccount());
    generic(g, List.of(), "activation");
  }

  static void delete(JsonGenerator g, DeleteRequest r) throws IOException {
    g.writeArrayFieldStart("accounts");
    for (String a : r.accounts()) {
      g.writeString(a);
    }
    g.writeEndArray();
    g.writeNumberField("version", 2);
  }

  private static void generic(JsonGenerator g, List<String> tags, String type) throws IOException {
    stringArray(g, "tags", tags);
    g.writeStringField("type", type);
    g.writeNumberField("version", 2);
  }

  private static void importEntry(JsonGenerator g, Import i) throws IOException {
    g.writeStartObject();
    stringField(g, "name", i.name());
    stringField(g, "subject", i.subject());
    stringField(g, "account", i.account());
    stringField(g, "token", i.token());
    stringField(g, "local_subject", i.localSubject());
    if (i.type() != null) {
      g.writeStringField("type", i.type().json());
    }
    if (i.share()) {
      g.writeBooleanField("share", true);
    }
    g.writeEndObject();
  }

  private static void exportEntry(JsonGenerator g, Export e) throws IOException {
    g.writeStartObject();
    stringField(g, "name", e.name());
    stringField(g, "subject", e.subject());
    if (e.type() != null) {
      g.writeStringField("type", e.type().json());
    }
    if (e.tokenReq()) {
      g.writeBooleanField("token_req", true);
    }
    longMap(g, "revocations", e.revocations());
    if (e.responseType() != null) {
      g.writeStringField("response_type", e.responseType().json());
    }
    if (e.responseThreshold() != null && !e.responseThreshold().isZero()) {
      g.writeNumberField("response_threshold", e.responseThreshold().toNanos());
    }
    if (e.latency() != null) {
      g.writeObjectFieldStart("service_latency");
      String s = e.latency().sampling();
      g.writeFieldName("sampling");
      if (s == null || s.equalsIgnoreCase("headers")) {
        g.writeString("headers");
      } else {
        g.writeNumber(parseIntOr(s, -1));
      }
      g.writeStringField("results", e.latency().results() == null ? "" : e.latency().results());
      g.writeEndObject();
    }
    if (e.accountTokenPosition() != 0) {
      g.writeNumberField("account_token_position", e.accountTokenPosition());
    }
    if (e.advertise()) {
      g.writeBooleanField("advertise", true);
    }
    stringField(g, "description", e.description());
    stringField(g, "info_url", e.infoUrl());
    g.writeEndObject();
  }

  private static void limits(JsonGenerator g, AccountLimits l) throws IOException {
    g.writeObjectFieldStart("limits");
    g.writeNumberField("subs", l.subs());
    g.writeNumberField("data", l.data());
    g.writeNumberField("payload", l.payload());
    g.writeNumberField("imports", l.imports());
    g.writeNumberField("exports", l.exports());
    g.writeBooleanField("wildcards", l.wildcards());
    g.writeBooleanField("disallow_bearer", l.disallowBearer());
    g.writeNumberField("conn", l.conn());
    g.writeNumberField("leaf", l.leaf());
    jetStream(g, l.jetStream());
    if (!l.tiered().isEmpty()) {
      g.writeObjectFieldStart("tiered_limits");
      for (String tier : sortedKeys(l.tiered())) {
        g.writeObjectFieldStart(tier);
        jetStream(g, l.tiered().get(tier));
        g.writeEndObject();
      }
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void jetStream(JsonGenerator g, JetStreamLimits j) throws IOException {
    g.writeNumberField("mem_storage", j.memStorage());
    g.writeNumberField("disk_storage", j.diskStorage());
    g.writeNumberField("streams", j.streams());
    g.writeNumberField("consumer", j.consumer());
    g.writeNumberField("max_ack_pending", j.maxAckPending());
    g.writeNumberField("mem_max_stream_bytes", j.memMaxStreamBytes());
    g.writeNumberField("disk_max_stream_bytes", j.diskMaxStreamBytes());
    g.writeBooleanField("max_bytes_required", j.maxBytesRequired());
  }

  /** The flattened user permission/limit fields (user body and scope template). */
  static void userPermissionLimits(JsonGenerator g, UserPermissionLimits u) throws IOException {
    if (u.permissions() != null) {
      permissions(g, u.permissions());
    }
    stringArray(g, "src", u.sourceNetworks());
    if (!u.times().isEmpty()) {
      g.writeArrayFieldStart("times");
      for (TimeRange t : u.times()) {
        g.writeStartObject();
        stringField(g, "start", t.start());
        stringField(g, "end", t.end());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    stringField(g, "times_location", u.locale());
    UserLimits l = u.limits();
    if (l.subs() != 0) {
      g.writeNumberField("subs", l.subs());
    }
    if (l.data() != 0) {
      g.writeNumberField("data", l.data());
    }
    if (l.payload() != 0) {
      g.writeNumberField("payload", l.payload());
    }
    if (u.bearerToken()) {
      g.writeBooleanField("bearer_token", true);
    }
    stringArray(g, "allowed_connection_types", u.allowedConnectionTypes());
  }

  private static void permissions(JsonGenerator g, Permissions p) throws IOException {
    permission(g, "pub", p.pub());
    permission(g, "sub", p.sub());
    if (p.resp() != null) {
      g.writeObjectFieldStart("resp");
      g.writeNumberField("max", p.resp().max());
      Duration ttl = p.resp().ttl();
      g.writeNumberField("ttl", ttl == null ? 0 : ttl.toNanos());
      g.writeEndObject();
    }
  }

  private static void permission(JsonGenerator g, String field, Permission p) throws IOException {
    if (p.isEmpty()) {
      return;
    }
    g.writeObjectFieldStart(field);
    stringArray(g, "allow", p.allow());
    stringArray(g, "deny", p.deny());
    g.writeEndObject();
  }

  private static void stringField(JsonGenerator g, String field, String value) throws IOException {
    if (value != null && !value.isEmpty()) {
      g.writeStringField(field, value);
    }
  }

  private static void stringArray(JsonGenerator g, String field, Collection<String> values)
      throws IOException {
    if (values.isEmpty()) {
      return;
    }
    g.writeArrayFieldStart(field);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  private static void longMap(JsonGenerator g, String field, Map<String, Long> m)
      throws IOException {
    if (m.isEmpty()) {
      return;
    }
    g.writeObjectFieldStart(field);
    for (String k : sortedKeys(m)) {
      g.writeNumberField(k, m.get(k));
    }
    g.writeEndObject();
  }

  private static List<String> sortedKeys(Map<String, ?> m) {
    List<String> keys = new ArrayList<>(m.keySet());
    Collections.sort(keys);
    return keys;
  }

  /** Sorted by subject like Go's Encode, so the caller's list order does not change jti. */
  private static List<Import> sortedImports(List<Import> l) {
    if (l.size() < 2) {
      return l;
    }
    List<Import> s = new ArrayList<>(l);
    s.sort((a, b) -> compareNullable(a.subject(), b.subject()));
    return s;
  }

  private static List<Export> sortedExports(List<Export> l) {
    if (l.size() < 2) {
      return l;
    }
    List<Export> s = new ArrayList<>(l);
    s.sort((a, b) -> compareNullable(a.subject(), b.subject()));
    return s;
  }

  private static int compareNullable(String a, String b) {
    return a == null ? (b == null ? 0 : -1) : b == null ? 1 : a.compareTo(b);
  }

  static int parseIntOr(String s, int fallback) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
