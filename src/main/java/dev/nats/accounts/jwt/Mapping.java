package dev.nats.accounts.jwt;

/**
 * One weighted destination of a subject mapping.
 *
 * @param weight 1..100 percent; 0 means 100 and is omitted from JSON
 * @param cluster optional cluster name, null = any
 */
public record Mapping(String subject, int weight, String cluster) {
  public static Mapping to(String subject) {
    return new Mapping(subject, 0, null);
  }

  /** The weight the server applies (0 counts as 100). */
  public int effectiveWeight() {
    return weight == 0 ? 100 : weight;
  }
}
