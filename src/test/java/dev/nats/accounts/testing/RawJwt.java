package dev.nats.accounts.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nats.accounts.jwt.KeyPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Consumer;

/**
 * Edits the payload of a signed JWT and signs it again, bypassing our encoder's validation on
 * purpose. It stands in for a careless or foreign issuer, so tests can prove what the
 * <em>server</em> refuses (our own encoder would refuse to produce such a JWT in the first place).
 */
public final class RawJwt {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private RawJwt() {}

  public static String resign(String jwt, KeyPair signer, Consumer<ObjectNode> edit) {
    String[] parts = jwt.split("\\.");
    try {
      ObjectNode payload = (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      edit.accept(payload);
      payload.put("iss", signer.publicKey());
      String signingInput = parts[0] + "." + B64.encodeToString(JSON.writeValueAsBytes(payload));
      byte[] sig = signer.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64.encodeToString(sig);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
