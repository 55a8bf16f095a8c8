package dev.nats.accounts.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Reason;
import dev.nats.accounts.testing.GeneratedFiles;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/operations/troubleshooting.md explains every reason the operator can report (each constant
 * of {@link Reason}; the enum is the only way to write one) and names every {@link ConditionType}.
 * A failure reason gets a section of its own ({@code ###}), a positive one a table row.
 */
class TroubleshootingDocTest {
  static final String PAGE = "docs/operations/troubleshooting.md";
  static final Set<String> POSITIVE =
      java.util.stream.Stream.of(
              Reason.RECONCILED,
              Reason.KEYS_CREATED,
              Reason.KEYS_ADOPTED,
              Reason.KEYS_FOUND,
              Reason.ALL_CONNECTED,
              Reason.PUSH_SUCCEEDED,
              Reason.ALL_RESOLVED,
              Reason.EXPORT_FOUND,
              Reason.GRANTED,
              Reason.GRANT_REVOKED,
              Reason.KEY_ROTATED)
          .map(Reason::value)
          .collect(java.util.stream.Collectors.toSet());

  @Test
  void everyReasonIsExplained() throws Exception {
    Set<String> reasons = new TreeSet<>();
    for (Reason r : Reason.values()) {
      reasons.add(r.value());
    }

    String page = GeneratedFiles.read(PAGE);
    List<String> missing =
        reasons.stream()
            .filter(
                r ->
                    POSITIVE.contains(r)
                        ? !page.contains("| `" + r + "`") && !page.contains("`" + r + "`, ")
                        : !page.contains("\n### " + r + "\n") && !page.contains("| `" + r + "`"))
            .toList();
    assertEquals(List.of(), missing, "reasons " + PAGE + " does not explain");
    List<String> types =
        java.util.Arrays.stream(ConditionType.values())
            .map(ConditionType::value)
            .filter(t -> !page.contains("`" + t + "`"))
            .toList();
    assertEquals(List.of(), types, "condition types " + PAGE + " does not name");
  }

  /**
   * The page marks a section *Stalled.* exactly when the reason sets Stalled=True (kstatus'
   * Failed).
   */
  @Test
  void stalledMarksMatchTheReasonsThatStall() throws Exception {
    String page = GeneratedFiles.read(PAGE);
    Matcher section = Pattern.compile("\n### (\\w+)\n\n(\\*Stalled\\.\\*)?").matcher(page);
    Set<String> marked = new TreeSet<>();
    Set<String> stalls = new TreeSet<>();
    while (section.find()) {
      Reason reason =
          Reason.of(section.group(1))
              .orElseThrow(() -> new AssertionError("unknown " + section.group(1)));
      if (section.group(2) != null) {
        marked.add(reason.value());
      }
      if (reason.stalls()) {
        stalls.add(reason.value());
      }
    }
    assertTrue(stalls.contains("SecretConflict"), "sections were found: " + stalls);
    assertEquals(stalls, marked, "sections marked *Stalled.* vs Reason.stalls()");
  }
}
