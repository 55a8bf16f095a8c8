package dev.nats.accounts.jwt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Validates, serialises and signs claims. Nothing that fails {@link ClaimsValidator} is ever
 * signed: a JWT the server rejects (or, worse, half-applies) is a worse outcome than an exception
 * here.
 *
 * <p>{@code iat} is an argument rather than "now" so callers can keep it strictly increasing per
 * subject ({@link IssuedAt}).
 *
 * <p><b>jti</b> is SHA-512/256 (base32, 52 chars) over the complete payload JSON written without
 * jti. Go's jwt library hashes only the standard claims ({@code iat/iss/name/sub...}), so two
 * account JWTs with different content issued in the same second share a jti; the resolver's pack
 * sync skips an incoming JWT whose jti equals the stored one and would then never converge on the
 * newer content. Hashing the full payload makes the jti change whenever anything in the token
 * changes. The server never recomputes jti, so this scheme is accepted.
 */
public final class JwtEncoder {
  /** {@code {"typ":"JWT","alg":"ed25519-nkey"}}, base64url. */
  public static final String HEADER = "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ";

  private static final byte[] HEADER_DOT = (HEADER + ".").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] JTI_PREFIX = "{\"jti\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private JwtEncoder() {}

  /** Operator JWT; must be self-signed by the operator identity key ({@code signer == subject}). */
  public static String encode(OperatorClaims c, KeyPair signer, long iat) {
    List<Violation> v = new ArrayList<>(ClaimsValidator.validate(c));
    requireSigner(v, signer, KeyType.OPERATOR, "operator");
    if (signer != null && !signer.publicKey().equals(c.subject())) {
      v.add(
          new Violation(
              "subject",
              "operator JWT must be self-signed: subject must equal the signer's public key "
                  + signer.publicKey()));
    }
    throwIfAny("operator", v);
    return sign(
        signer,
        ClaimsJson.payload(
            iat, signer.publicKey(), c.name(), c.subject(), null, g -> ClaimsJson.operator(g, c)));
  }

  /** Account JWT, signed by the operator identity key or an operator signing key. */
  public static String encode(AccountClaims c, KeyPair signer, long iat) {
    List<Violation> v = new ArrayList<>(ClaimsValidator.validate(c));
    requireSigner(v, signer, KeyType.OPERATOR, "account");
    throwIfAny("account", v);
    return sign(
        signer,
        ClaimsJson.payload(
            iat,
            signer.publicKey(),
            c.name(),
            c.subject(),
            c.expires(),
            g -> ClaimsJson.account(g, c)));
  }

  /**
   * User JWT signed by the account identity key or a signing key. Without the account claims the
   * encoder cannot know whether the signer is scoped; prefer {@link #encode(UserClaims, KeyPair,
   * AccountClaims, long)}.
   */
  public static String encode(UserClaims c, KeyPair signer, long iat) {
    List<Violation> v = new ArrayList<>(ClaimsValidator.validate(c));
    requireSigner(v, signer, KeyType.ACCOUNT, "user");
    throwIfAny("user", v);
    return signUser(c, signer, iat);
  }

  /**
   * User JWT with the account-side checks: the signer is the account identity key or one of its
   * signing keys, {@code issuer_account} is set when a signing key signs, and a user signed by a
   * scoped key carries no permissions or limits of its own.
   */
  public static String encode(UserClaims c, KeyPair signer, AccountClaims account, long iat) {
    List<Violation> v = new ArrayList<>(ClaimsValidator.validate(c));
    requireSigner(v, signer, KeyType.ACCOUNT, "user");
    if (signer != null && signer.type() == KeyType.ACCOUNT) {
      v.addAll(ClaimsValidator.validateUserSigner(c, signer.publicKey(), account));
    }
    throwIfAny("user", v);
    return signUser(c, signer, iat);
  }

  private static String signUser(UserClaims c, KeyPair signer, long iat) {
    return sign(
        signer,
        ClaimsJson.payload(
            iat,
            signer.publicKey(),
            c.name(),
            c.subject(),
            c.expires(),
            g -> ClaimsJson.user(g, c)));
  }

  /**
   * Activation token, signed by the exporting account's identity key or one of its signing keys.
   */
  public static String encode(ActivationClaims c, KeyPair signer, long iat) {
    List<Violation> v = new ArrayList<>(ClaimsValidator.validate(c));
    requireSigner(v, signer, KeyType.ACCOUNT, "activation");
    throwIfAny("activation", v);
    return sign(
        signer,
        ClaimsJson.payload(
            iat,
            signer.publicKey(),
            c.name(),
            c.subject(),
            c.expires(),
            g -> ClaimsJson.activation(g, c)));
  }

  /** Delete request for {@code $SYS.REQ.CLAIMS.DELETE}; signed by the operator key named in it. */
  public static String encode(DeleteRequest r, KeyPair signer, long iat) {
    List<Violation> v = new ArrayList<>(ClaimsValidator.validate(r));
    requireSigner(v, signer, KeyType.OPERATOR, "delete request");
    if (signer != null && !signer.publicKey().equals(r.operator())) {
      v.add(
          new Violation(
              "operator",
              "delete request must be signed by the operator key it names ("
                  + r.operator()
                  + "), not "
                  + signer.publicKey()));
    }
    throwIfAny("delete request", v);
    return sign(
        signer,
        ClaimsJson.payload(
            iat, signer.publicKey(), null, r.operator(), null, g -> ClaimsJson.delete(g, r)));
  }

  private static void requireSigner(
      List<Violation> v, KeyPair signer, KeyType expected, String what) {
    if (signer == null) {
      v.add(new Violation("signer", "a signing key is required"));
    } else if (signer.type() != expected) {
      v.add(
          new Violation(
              "signer",
              what
                  + " JWTs must be signed by "
                  + expected.describe()
                  + " key, got "
                  + signer.type().describe()
                  + " key "
                  + signer.publicKey()));
    }
  }

  private static void throwIfAny(String what, List<Violation> v) {
    if (!v.isEmpty()) {
      throw new InvalidClaimsException(what, v);
    }
  }

  /**
   * Inserts jti (hash of the payload without it), base64url-encodes and signs {@code
   * header.payload}.
   */
  static String sign(KeyPair signer, byte[] payloadWithoutJti) {
    int n = payloadWithoutJti.length;
    byte[] jti =
        Hashing.sha512_256Base32(payloadWithoutJti, 0, n).getBytes(StandardCharsets.US_ASCII);
    // {"jti":"<52>",  + payload after its opening brace
    byte[] full = new byte[JTI_PREFIX.length + jti.length + 2 + n - 1];
    int p = 0;
    System.arraycopy(JTI_PREFIX, 0, full, p, JTI_PREFIX.length);
    p += JTI_PREFIX.length;
    System.arraycopy(jti, 0, full, p, jti.length);
    p += jti.length;
    full[p++] = '"';
    full[p++] = ',';
    System.arraycopy(payloadWithoutJti, 1, full, p, n - 1);

    byte[] body = B64.encode(full);
    byte[] toSign = new byte[HEADER_DOT.length + body.length];
    System.arraycopy(HEADER_DOT, 0, toSign, 0, HEADER_DOT.length);
    System.arraycopy(body, 0, toSign, HEADER_DOT.length, body.length);
    byte[] sig = B64.encode(signer.sign(toSign));
    byte[] jwt = Arrays.copyOf(toSign, toSign.length + 1 + sig.length);
    jwt[toSign.length] = '.';
    System.arraycopy(sig, 0, jwt, toSign.length + 1, sig.length);
    // all bytes are base64url/ASCII, so Latin-1 is a straight copy into a compact string
    return new String(jwt, StandardCharsets.ISO_8859_1);
  }
}
