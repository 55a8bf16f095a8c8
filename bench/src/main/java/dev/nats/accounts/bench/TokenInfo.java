package dev.nats.accounts.bench;

import dev.nats.accounts.jwt.JwtEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Prints one benchmark token and its sizes in the same key=value form as the Go harness, so the run
 * script can show both token lengths and let the Go library decode and validate the Java token.
 */
public final class TokenInfo {

    private TokenInfo() {
    }

    public static void main(String[] args) {
        String token = JwtEncoder.encode(BenchClaims.claims(), BenchClaims.signer(), System.currentTimeMillis() / 1000);
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        if (args.length > 0 && args[0].equals("--print")) {
            System.out.println(token);
            System.out.println(payload);
            return;
        }
        System.out.println("java_token_len=" + token.length() + " java_payload_json_len=" + payload.length());
        System.out.println("java_token=" + token);
    }
}
