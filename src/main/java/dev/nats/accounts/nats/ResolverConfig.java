package dev.nats.accounts.nats;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Renders {@code resolver.conf}: the fragment a nats-server config includes verbatim to trust our operator,
 * name the system account and configure the account resolver.
 *
 * <p>It is pure text so that it can be unit tested byte for byte and reused by the demo, the Helm chart
 * tests and the test extension. Values are validated before they are rendered: keys and JWTs must have their
 * exact alphabets, so nothing a caller passes can break out of the config syntax; free text (the resolver
 * dir) is quoted and escaped.
 *
 * <p>The system account is always preloaded, because full and cache resolvers need it before any push
 * can be received. Under {@link Type#MEMORY} there is no push channel that persists, so every account the
 * server should know has to be preloaded; callers put them in {@link #preload()}.
 */
public record ResolverConfig(
        String operatorJwt,
        String systemAccount,
        String systemAccountJwt,
        Type type,
        String dir,
        boolean allowDelete,
        Duration interval,
        Map<String, String> preload) {

    /** The resolver kinds nats-server 2.9 supports in operator mode. */
    public enum Type {
        /** Stores every account JWT in {@code dir}, syncs with peers, answers lookups. */
        FULL,
        /** Stores only accounts it has looked up (LRU) in {@code dir}. */
        CACHE,
        /** Only the preloaded JWTs; pushes are not persisted. */
        MEMORY
    }

    private static final Pattern ACCOUNT_KEY = Pattern.compile("A[A-Z2-7]{55}");
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    public ResolverConfig {
        requireJwt(operatorJwt, "operatorJwt");
        requireAccountKey(systemAccount, "systemAccount");
        requireJwt(systemAccountJwt, "systemAccountJwt");
        Objects.requireNonNull(type, "type");
        if (type != Type.MEMORY) {
            if (dir == null || dir.isBlank()) {
                throw new IllegalArgumentException("a " + type.name().toLowerCase() + " resolver needs a dir");
            }
            quote(dir); // refuses characters the config syntax cannot carry
        } else if (dir != null) {
            throw new IllegalArgumentException("a memory resolver has no dir");
        }
        if (type == Type.CACHE && (allowDelete || interval != null)) {
            // nats-server refuses to start with these on a cache resolver.
            throw new IllegalArgumentException("a cache resolver supports neither allow_delete nor interval");
        }
        if (type == Type.MEMORY && (allowDelete || interval != null)) {
            throw new IllegalArgumentException("a memory resolver supports neither allow_delete nor interval");
        }
        if (interval != null && (interval.isNegative() || interval.isZero())) {
            throw new IllegalArgumentException("interval must be positive");
        }
        Map<String, String> copy = new LinkedHashMap<>();
        if (preload != null) {
            preload.forEach((pub, jwt) -> {
                requireAccountKey(pub, "preload key");
                requireJwt(jwt, "preload JWT of " + pub);
                copy.put(pub, jwt);
            });
        }
        if (copy.containsKey(systemAccount) && !copy.get(systemAccount).equals(systemAccountJwt)) {
            throw new IllegalArgumentException("preload holds a different JWT for the system account");
        }
        copy.remove(systemAccount);
        preload = java.util.Collections.unmodifiableMap(copy);
    }

    /** A full resolver with allow_delete and the given sync interval (null: server default of 1m). */
    public static ResolverConfig full(String operatorJwt, String systemAccount, String systemAccountJwt,
                                      String dir, boolean allowDelete, Duration interval) {
        return new ResolverConfig(operatorJwt, systemAccount, systemAccountJwt, Type.FULL, dir, allowDelete,
                interval, Map.of());
    }

    public static ResolverConfig cache(String operatorJwt, String systemAccount, String systemAccountJwt, String dir) {
        return new ResolverConfig(operatorJwt, systemAccount, systemAccountJwt, Type.CACHE, dir, false, null, Map.of());
    }

    /** A memory resolver preloading the system account and every account in {@code accounts} (pub to JWT). */
    public static ResolverConfig memory(String operatorJwt, String systemAccount, String systemAccountJwt,
                                        Map<String, String> accounts) {
        return new ResolverConfig(operatorJwt, systemAccount, systemAccountJwt, Type.MEMORY, null, false, null,
                accounts);
    }

    /** The config text; deterministic for equal inputs (preload in insertion order after the system account). */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Generated by nats-account-operator: trusted operator, system account, account resolver.\n");
        sb.append("operator: ").append(quote(operatorJwt)).append('\n');
        sb.append("system_account: ").append(systemAccount).append('\n');
        if (type == Type.MEMORY) {
            sb.append("resolver: MEMORY\n");
        } else {
            sb.append("resolver {\n");
            sb.append("  type: ").append(type.name().toLowerCase()).append('\n');
            sb.append("  dir: ").append(quote(dir)).append('\n');
            if (type == Type.FULL) {
                sb.append("  allow_delete: ").append(allowDelete).append('\n');
                if (interval != null) {
                    sb.append("  interval: ").append(quote(goDuration(interval))).append('\n');
                }
            }
            sb.append("}\n");
        }
        sb.append("resolver_preload {\n");
        sb.append("  ").append(systemAccount).append(": ").append(quote(systemAccountJwt)).append('\n');
        preload.forEach((pub, jwt) -> sb.append("  ").append(pub).append(": ").append(quote(jwt)).append('\n'));
        sb.append("}\n");
        return sb.toString();
    }

    /**
     * A double-quoted nats-server config string. The config lexer understands the escapes {@code \\},
     * {@code \"}, {@code \n}, {@code \t} and {@code \r}; other control characters have no escape there
     * and are refused rather than silently written.
     */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        throw new IllegalArgumentException("control character in config value");
                    }
                    sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Go's time.ParseDuration syntax, which is what nats-server reads for durations. */
    static String goDuration(Duration d) {
        if (d.toNanos() % 1_000_000 != 0 || d.isZero()) {
            return d.toNanos() + "ns";
        }
        long millis = d.toMillis();
        if (millis % 1000 != 0) {
            return millis + "ms";
        }
        long seconds = d.getSeconds();
        StringBuilder sb = new StringBuilder();
        long h = seconds / 3600;
        long m = (seconds % 3600) / 60;
        long s = seconds % 60;
        if (h > 0) {
            sb.append(h).append('h');
        }
        if (m > 0) {
            sb.append(m).append('m');
        }
        if (s > 0) {
            sb.append(s).append('s');
        }
        return sb.toString();
    }

    private static void requireAccountKey(String value, String what) {
        if (value == null || !ACCOUNT_KEY.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " is not an account public key");
        }
    }

    private static void requireJwt(String value, String what) {
        if (value == null || !JWT.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " is not a JWT (three base64url parts)");
        }
    }

    /** JWTs are long and not secret, but printing them whole makes logs unreadable. */
    @Override
    public String toString() {
        return "ResolverConfig[type=" + type + ", systemAccount=" + systemAccount + ", dir=" + dir
                + ", allowDelete=" + allowDelete + ", interval=" + interval + ", preload=" + preload.keySet() + "]";
    }
}
