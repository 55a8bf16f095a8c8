package dev.nats.accounts.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * Decodes and verifies v2 NATS JWTs: header, Ed25519 signature over {@code header.payload} by the
 * key in {@code iss}, {@code nats.version == 2}, issuer key type allowed for the claim type (as jwt
 * v2.3.0's {@code ExpectedPrefixes}), and the {@code exp}/{@code nbf} window. It uses a tree model
 * for simplicity; the signature check, the costly part, is done once per distinct token ({@link
 * VerifiedSignatures}), since reconciles read the same tokens again and again.
 */
public final class JwtDecoder {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Base64.Decoder B64 = Base64.getUrlDecoder();

  /** About 2 MiB at most: beyond every account JWT and activation token of 3,000 tenants. */
  private static final VerifiedSignatures VERIFIED = new VerifiedSignatures(16_384);

  private JwtDecoder() {}

  /** Decodes, verifies and checks the validity window against the current time. */
  public static DecodedJwt decode(String jwt) {
    return decode(jwt, Clock.systemUTC());
  }

  public static DecodedJwt decode(String jwt, Clock clock) {
    DecodedJwt d = decodeIgnoringTime(jwt);
    long now = clock.millis() / 1000;
    if (d.expires() != null && d.expires() > 0 && now > d.expires()) {
      throw new JwtException(
          d.type()
              + " JWT for "
              + d.subject()
              + " expired at "
              + d.expires()
              + " (now "
              + now
              + ")");
    }
    long nbf = d.payload().path("nbf").asLong(0);
    if (nbf > 0 && nbf > now) {
      throw new JwtException(
          d.type()
              + " JWT for "
              + d.subject()
              + " is not valid before "
              + nbf
              + " (now "
              + now
              + ")");
    }
    return d;
  }

  /**
   * Like {@link #decode(String)} without the exp/nbf check: what jwt's import validation does for
   * activation tokens, and what a reconciler needs to read the iat of an old, expired JWT.
   */
  public static DecodedJwt decodeIgnoringTime(String jwt) {
    if (jwt == null || jwt.isBlank()) {
      throw new JwtException("JWT is empty");
    }
    String token = jwt.strip();
    int d1 = token.indexOf('.');
    int d2 = d1 < 0 ? -1 : token.indexOf('.', d1 + 1);
    if (d1 < 0 || d2 < 0 || token.indexOf('.', d2 + 1) >= 0) {
      throw new JwtException("JWT must have 3 dot-separated parts");
    }
    JsonNode header = json(token.substring(0, d1), "header");
    if (!"JWT".equalsIgnoreCase(header.path("typ").asText())) {
      throw new JwtException("JWT header typ must be JWT, got " + header.path("typ"));
    }
    String alg = header.path("alg").asText();
    if (!"ed25519-nkey".equalsIgnoreCase(alg)) {
      throw new JwtException("JWT header alg must be ed25519-nkey (v2), got \"" + alg + "\"");
    }
    JsonNode payload = json(token.substring(d1 + 1, d2), "payload");
    byte[] sig;
    try {
      sig = B64.decode(token.substring(d2 + 1));
    } catch (IllegalArgumentException e) {
      throw new JwtException("JWT signature is not base64url");
    }
    String iss = payload.path("iss").asText("");
    KeyType issuerType;
    try {
      issuerType = KeyType.ofPublicKey(iss);
    } catch (InvalidKeyException e) {
      throw new JwtException("JWT iss is not a public nkey: " + e.getMessage());
    }
    if (!VERIFIED.verifies(
        token,
        () ->
            KeyPair.verify(iss, token.substring(0, d2).getBytes(StandardCharsets.US_ASCII), sig))) {
      throw new JwtException("JWT signature verification failed for issuer " + iss);
    }
    if (payload.has("type")) {
      throw new JwtException("v1 JWTs (top-level type) are not supported");
    }
    JsonNode nats = payload.path("nats");
    int version = nats.path("version").asInt(0);
    if (version != 2) {
      throw new JwtException("nats.version must be 2, got " + version);
    }
    String type = nats.path("type").asText("");
    Set<KeyType> allowed =
        switch (type) {
          case "operator" -> EnumSet.of(KeyType.OPERATOR);
          case "account", "activation" -> EnumSet.of(KeyType.OPERATOR, KeyType.ACCOUNT);
          case "user" -> EnumSet.of(KeyType.ACCOUNT);
          default -> EnumSet.allOf(KeyType.class);
        };
    if (type.isEmpty() || !Set.of("operator", "account", "activation", "user").contains(type)) {
      type = "generic";
    }
    if (!allowed.contains(issuerType)) {
      throw new JwtException(
          type + " JWT must not be issued by " + issuerType.describe() + " key (" + iss + ")");
    }
    JsonNode exp = payload.get("exp");
    return new DecodedJwt(
        iss,
        payload.path("sub").asText(""),
        payload.path("iat").asLong(0),
        exp == null || exp.isNull() ? null : exp.asLong(),
        payload.path("jti").asText(null),
        type,
        payload.path("name").asText(null),
        payload,
        token);
  }

  private static JsonNode json(String part, String what) {
    byte[] raw;
    try {
      raw = B64.decode(part);
    } catch (IllegalArgumentException e) {
      throw new JwtException("JWT " + what + " is not base64url");
    }
    try {
      JsonNode n = MAPPER.readTree(raw);
      if (n == null || !n.isObject()) {
        throw new JwtException("JWT " + what + " is not a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new JwtException("JWT " + what + " is not valid JSON");
    }
  }
}
