package dev.nats.accounts.jwt;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks claims against the rules that make nats-server (jwt v2.3.0 {@code Validate}) reject a JWT,
 * plus the rules this operator adds so that what it signs is usable. Every problem is reported with a
 * field path, not just the first.
 */
public final class ClaimsValidator {
    private ClaimsValidator() {
    }

    public static List<Violation> validate(OperatorClaims c) {
        List<Violation> v = new ArrayList<>();
        requireKey(v, "subject", c.subject(), KeyType.OPERATOR);
        return v;
    }

    public static List<Violation> validate(AccountClaims c) {
        List<Violation> v = new ArrayList<>();
        requireKey(v, "subject", c.subject(), KeyType.ACCOUNT);
        return v;
    }

    public static List<Violation> validate(UserClaims c) {
        List<Violation> v = new ArrayList<>();
        requireKey(v, "subject", c.subject(), KeyType.USER);
        return v;
    }

    static List<Violation> validateUserSigner(UserClaims c, String signerKey, AccountClaims account) {
        return List.of();
    }

    public static List<Violation> validate(ActivationClaims c) {
        List<Violation> v = new ArrayList<>();
        requireKey(v, "subject", c.subject(), KeyType.ACCOUNT);
        return v;
    }

    public static List<Violation> validate(DeleteRequest r) {
        List<Violation> v = new ArrayList<>();
        requireKey(v, "operator", r.operator(), KeyType.OPERATOR);
        return v;
    }

    private static void requireKey(List<Violation> v, String field, String key, KeyType type) {
        if (key == null || key.isEmpty()) {
            v.add(new Violation(field, "is required: set it to " + type.name().toLowerCase() + " public key"));
            return;
        }
        try {
            KeyType actual = KeyType.ofPublicKey(key);
            if (actual != type) {
                v.add(new Violation(field, "must be " + type.name().toLowerCase() + " public key (starts with '"
                        + type.prefixChar() + "'), got " + actual.name().toLowerCase() + " key " + key));
            }
        } catch (InvalidKeyException e) {
            v.add(new Violation(field, e.getMessage()));
        }
    }
}
