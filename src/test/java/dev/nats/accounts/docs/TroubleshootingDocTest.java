package dev.nats.accounts.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.status.Reasons;
import dev.nats.accounts.testing.GeneratedFiles;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/operations/troubleshooting.md explains every reason the operator can report: each constant of
 * {@link Reasons} (condition types aside) and each reason or Event written as a literal in the sources (found by
 * scanning them, so a new literal reason is caught too). A failure reason gets a section of its own ({@code ###}),
 * a positive one a table row.
 */
class TroubleshootingDocTest {
  static final String PAGE = "docs/operations/troubleshooting.md";
  static final Set<String> CONDITION_TYPES = Set.of(Reasons.READY, Reasons.KEYS_READY, Reasons.CONNECTED, Reasons.STALLED,
      Reasons.PUSHED, Reasons.IMPORTS_RESOLVED, Reasons.AUTHORIZED);
  static final Set<String> POSITIVE = Set.of(Reasons.RECONCILED, Reasons.KEYS_CREATED, Reasons.KEYS_ADOPTED,
      Reasons.KEYS_FOUND, Reasons.ALL_CONNECTED, Reasons.PUSH_SUCCEEDED, Reasons.ALL_RESOLVED, Reasons.FOUND,
      Reasons.GRANTED, "GrantRevoked");
  /** Where a reason is written as a literal: Outcome.failed("X", …), new Excluded(e, "X", …), events().x(r, "X", …). */
  static final Pattern LITERAL = Pattern.compile(
      "(?:Outcome\\.failed\\( ?|new Excluded\\(\\w+, ?|events\\(\\)\\.(?:warning|normal)\\(\\w+, ?)\"([A-Z][A-Za-z]+)\"");

  @Test
  void everyReasonIsExplained() throws Exception {
    Set<String> reasons = new TreeSet<>();
    for (Field f : Reasons.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        String value = (String) f.get(null);
        if (!CONDITION_TYPES.contains(value)) {
          reasons.add(value);
        }
      }
    }
    Set<String> literals = literalReasons();
    assertTrue(literals.containsAll(Set.of("KeysConflict", "SubjectOverlap", "CredentialsReissued", "GrantRevoked")),
        "the scan finds the literal reasons: " + literals);
    reasons.addAll(literals);

    String page = GeneratedFiles.read(PAGE);
    List<String> missing = reasons.stream().filter(r -> POSITIVE.contains(r)
        ? !page.contains("| `" + r + "`") && !page.contains("`" + r + "`, ")
        : !page.contains("\n### " + r + "\n") && !page.contains("| `" + r + "`")).toList();
    assertEquals(List.of(), missing, "reasons " + PAGE + " does not explain");
  }

  static Set<String> literalReasons() throws IOException {
    Set<String> out = new TreeSet<>();
    try (Stream<Path> files = Files.walk(GeneratedFiles.projectFile("src/main/java/dev/nats/accounts"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = LITERAL.matcher(Files.readString(f).replaceAll("\\s+", " "));
        while (m.find()) {
          out.add(m.group(1));
        }
      }
    }
    return out;
  }
}
