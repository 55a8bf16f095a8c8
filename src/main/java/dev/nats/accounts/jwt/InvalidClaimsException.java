package dev.nats.accounts.jwt;

import java.util.List;
import java.util.stream.Collectors;

/** Claims failed validation and were not signed. */
public class InvalidClaimsException extends JwtException {
  private final List<Violation> violations;

  public InvalidClaimsException(String what, List<Violation> violations) {
    super(
        "invalid "
            + what
            + " claims: "
            + violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
    this.violations = List.copyOf(violations);
  }

  public List<Violation> violations() {
    return violations;
  }
}
