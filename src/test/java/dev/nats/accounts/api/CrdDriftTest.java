package dev.nats.accounts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nats.accounts.testing.Crds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed crds/ must equal what the crd-generator plugin produced from the current classes in
 * this build (it runs in process-classes, before the tests). A difference means someone changed the
 * API classes without regenerating, or edited crds/ by hand.
 */
class CrdDriftTest {
  private static final String FIX =
      "run scripts/update-crds (or scripts/update-crds -o offline) and commit crds/";
  private static final String SUFFIX = "-v1.yml";

  @Test
  void committedCrdsMatchGeneratedOnes() throws IOException {
    Path generated = Crds.projectRoot().resolve("target/classes/META-INF/fabric8");
    assertTrue(
        Files.isDirectory(generated),
        "no generated CRDs in "
            + generated
            + ": build with Maven (the crd-generator plugin runs in process-classes)");

    Map<String, String> expected = new TreeMap<>();
    try (Stream<Path> files = Files.list(generated)) {
      for (Path f :
          files
              .filter(p -> p.getFileName().toString().endsWith(".accounts.nats.dev" + SUFFIX))
              .toList()) {
        String name = f.getFileName().toString();
        expected.put(
            name.substring(0, name.length() - SUFFIX.length()) + ".yaml",
            CrdFinish.finish(read(f)));
      }
    }
    assertEquals(
        7, expected.size(), "the generator should produce one CRD per kind: " + expected.keySet());

    Map<String, String> committed = new TreeMap<>();
    for (Path f : Crds.files()) {
      committed.put(f.getFileName().toString(), read(f));
    }

    assertEquals(
        expected.keySet(),
        committed.keySet(),
        "crds/ holds a different set of CRDs than generated; " + FIX);
    for (Map.Entry<String, String> e : expected.entrySet()) {
      if (!e.getValue().equals(committed.get(e.getKey()))) {
        fail(
            "crds/"
                + e.getKey()
                + " differs from the generated CRD (first difference at line "
                + firstDifferentLine(e.getValue(), committed.get(e.getKey()))
                + "); "
                + FIX);
      }
    }
  }

  private static String read(Path f) throws IOException {
    return Files.readString(f, StandardCharsets.UTF_8).replace("\r\n", "\n").replace('\r', '\n');
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
