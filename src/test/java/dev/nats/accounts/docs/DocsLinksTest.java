package dev.nats.accounts.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nats.accounts.testing.GeneratedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of the Markdown pages (README, docs/, the chart's README) points at a file
 * that exists: pages link to each other a lot, and a moved or renamed page must not leave readers
 * at a dead end.
 */
class DocsLinksTest {
  static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

  @Test
  void everyRelativeLinkResolves() throws IOException {
    Path root = GeneratedFiles.projectFile(".");
    List<Path> pages =
        new ArrayList<>(
            List.of(
                root.resolve("README.md"), root.resolve("charts/nats-account-operator/README.md")));
    try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
    }
    List<String> broken = new ArrayList<>();
    for (Path page : pages) {
      // code (fenced blocks and `spans`) holds regular expressions and shell, not links
      String text =
          Files.readString(page).replaceAll("(?s)```.*?```", "").replaceAll("`[^`\n]*`", "");
      Matcher m = LINK.matcher(text);
      while (m.find()) {
        String target = m.group(1);
        if (target.contains("://") || target.startsWith("#") || target.startsWith("mailto:")) {
          continue;
        }
        String file = target.replaceFirst("#.*$", "");
        if (!Files.exists(page.getParent().resolve(file).normalize())) {
          broken.add(root.relativize(page) + " -> " + target);
        }
      }
    }
    assertEquals(List.of(), broken);
  }
}
