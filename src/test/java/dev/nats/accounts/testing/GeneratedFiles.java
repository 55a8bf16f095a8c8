package dev.nats.accounts.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Committed files generated from other committed files (the chart README's values table from
 * values.yaml, the field reference from the CRDs, the Argo CD snippets from health.lua). A test
 * computes the expected content and calls {@link #check}: it fails while the committed file
 * differs, naming the first differing line and the fix, {@code scripts/update-docs}, which reruns
 * the same tests with {@code -Dnao.update-docs=true} so that they write the files instead. One
 * generator, in the test, so the check and the update can never disagree.
 */
public final class GeneratedFiles {
  public static final String UPDATE = "nao.update-docs";
  public static final String FIX = "run scripts/update-docs and commit the result";

  private GeneratedFiles() {}

  public static boolean updating() {
    return Boolean.getBoolean(UPDATE);
  }

  /**
   * Fails unless {@code file} (relative to the project root) holds {@code expected}; writes it when
   * updating.
   */
  public static void check(String file, String expected) {
    Path path = Crds.projectRoot().resolve(file);
    try {
      if (updating()) {
        Files.createDirectories(path.getParent());
        Files.writeString(path, expected, StandardCharsets.UTF_8);
        return;
      }
      if (!Files.exists(path)) {
        fail(file + " does not exist; " + FIX);
      }
      String actual = Files.readString(path, StandardCharsets.UTF_8);
      if (!actual.equals(expected)) {
        fail(
            file
                + " is stale (first difference at line "
                + firstDifferentLine(expected, actual)
                + "); "
                + FIX);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code text} with the part between the lines {@code <!-- NAME:start -->} and {@code <!--
   * NAME:end -->} replaced by {@code generated}; for hand-written pages that hold one generated
   * section.
   */
  public static String replaceSection(String text, String name, String generated) {
    String start = "<!-- " + name + ":start -->\n";
    String end = "<!-- " + name + ":end -->";
    int a = text.indexOf(start);
    int b = text.indexOf(end);
    if (a < 0 || b < a) {
      throw new AssertionError("no section " + start.trim() + " ... " + end + " in the page");
    }
    return text.substring(0, a + start.length()) + generated + text.substring(b);
  }

  /** A file of the project, by its path relative to the project root. */
  public static Path projectFile(String file) {
    return Crds.projectRoot().resolve(file);
  }

  public static String read(String file) {
    try {
      return Files.readString(Crds.projectRoot().resolve(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int firstDifferentLine(String a, String b) {
    String[] x = a.split("\n", -1);
    String[] y = b.split("\n", -1);
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      if (!x[i].equals(y[i])) {
        return i + 1;
      }
    }
    return Math.min(x.length, y.length) + 1;
  }
}
