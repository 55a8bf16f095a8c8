package dev.nats.accounts.api.v1alpha1;

/**
 * Regular expressions the CRD schema enforces at admission. They are RE2-compatible because the API
 * server evaluates OpenAPI patterns with Go's regexp; keep lookarounds and backreferences out.
 */
public final class ApiPatterns {
  /**
   * A NATS subject: non-empty dot-separated tokens without whitespace; {@code *} only as a whole
   * token and {@code >} only as the whole last token. Template and {@code $n} tokens pass as
   * ordinary tokens.
   */
  public static final String SUBJECT = "^(([^.\\s*>]+|\\*)\\.)*([^.\\s*>]+|\\*|>)$";

  /** A subscribe permission: a subject, optionally followed by one space and a queue group name. */
  public static final String SUBJECT_OR_QUEUE =
      "^(([^.\\s*>]+|\\*)\\.)*([^.\\s*>]+|\\*|>)( [^\\s]+)?$";

  /** A subject without wildcards, e.g. where latency results are published. */
  public static final String LITERAL_SUBJECT = "^[^.\\s*>]+(\\.[^.\\s*>]+)*$";

  /** An account public key: prefix A, then 55 base32 characters. */
  public static final String ACCOUNT_KEY = "^A[A-Z2-7]{55}$";

  /**
   * A Go duration as time.ParseDuration reads it, without sign: "0", "2s", "1h30m", "500ms",
   * "1.5h".
   */
  public static final String DURATION = "^(0|([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+)$";

  /**
   * The string form of a byte size: -1 or a non-negative Kubernetes quantity without milli ("10Mi",
   * "1G"). Written without backslashes because it is also embedded in a CEL string literal ({@link
   * #QUANTITY_RULE}).
   */
  public static final String QUANTITY =
      "^(-1|[+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?)$";

  /**
   * CEL rule for int-or-string byte sizes: the CRD generator emits no pattern or minimum for
   * int-or-string fields, so the check is a validation rule instead.
   */
  public static final String QUANTITY_RULE =
      "type(self) == int ? self >= -1 : self.matches('" + QUANTITY + "')";

  public static final String QUANTITY_MESSAGE =
      "must be -1 or a byte quantity such as 1048576, 10Mi or 1G";

  /** CEL rule for latency sampling: 1..100 or "headers". */
  public static final String SAMPLING_RULE =
      "type(self) == string ? self == 'headers' : (self >= 1 && self <= 100)";

  public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
  public static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A key inside a Secret's data. */
  public static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";

  public static final String SERVER_URL = "^(nats|tls|ws|wss)://[^\\s]+$";

  /** An IPv4 or IPv6 network with a mask; nats-server refuses a bare address. */
  public static final String CIDR = "^[0-9a-fA-F:.]+/[0-9]{1,3}$";

  public static final String URL = "^https?://[^\\s/]+[^\\s]*$";

  private ApiPatterns() {}
}
