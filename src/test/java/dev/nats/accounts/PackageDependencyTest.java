package dev.nats.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.testing.GeneratedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package layering of docs/dev/architecture.md, read from the imports and qualified names of
 * src/main: {@code cli} on top, {@code app} wires and only {@code cli} and {@code demo} (a command
 * that starts the operator) use it, and no two packages depend on each other, directly or through
 * others.
 */
class PackageDependencyTest {
  /** An import, or a fully qualified name in the code. */
  static final Pattern USE = Pattern.compile("\\bdev\\.nats\\.accounts\\.([a-z0-9_.]+)\\.[A-Z]");

  @Test
  void nothingImportsAppOrCliAndThereIsNoCycle() throws IOException {
    Map<String, Set<String>> deps = dependencies();
    assertTrue(
        deps.containsKey("reconciler.account") && deps.containsKey("cli"),
        "packages were read: " + deps.keySet());

    Map<String, Set<String>> upward = new TreeMap<>();
    deps.forEach(
        (pkg, uses) ->
            uses.stream()
                .filter(
                    u -> u.equals("cli") || u.equals("app") && !Set.of("cli", "demo").contains(pkg))
                .forEach(u -> upward.computeIfAbsent(pkg, k -> new TreeSet<>()).add(u)));
    assertEquals(
        Map.of(), upward, "packages that import the wiring (app) or the entry point (cli)");

    List<String> cycles = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : deps.entrySet()) {
      for (String used : e.getValue()) {
        if (reaches(deps, used, e.getKey())) {
          cycles.add(e.getKey() + " -> " + used + " -> ... -> " + e.getKey());
        }
      }
    }
    assertEquals(List.of(), cycles, "package cycles");
  }

  /** A cycle is found, so the check above can fail. */
  @Test
  void aCycleIsFound() {
    Map<String, Set<String>> deps =
        Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
    assertTrue(reaches(deps, "b", "a"));
    assertTrue(!reaches(deps, "a", "d"));
  }

  static boolean reaches(Map<String, Set<String>> deps, String from, String to) {
    Deque<String> todo = new ArrayDeque<>(List.of(from));
    Set<String> seen = new TreeSet<>();
    while (!todo.isEmpty()) {
      String p = todo.pop();
      if (p.equals(to)) {
        return true;
      }
      if (seen.add(p)) {
        todo.addAll(deps.getOrDefault(p, Set.of()));
      }
    }
    return false;
  }

  static Map<String, Set<String>> dependencies() throws IOException {
    Path src = GeneratedFiles.projectFile("src/main/java/dev/nats/accounts");
    Map<String, Set<String>> deps = new TreeMap<>();
    try (Stream<Path> files = Files.walk(src)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String pkg = src.relativize(f.getParent()).toString().replace('/', '.');
        Set<String> uses = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
        Matcher m = USE.matcher(Files.readString(f).replaceFirst("(?m)^package [^;]+;", ""));
        while (m.find()) {
          if (!m.group(1).equals(pkg)) {
            uses.add(m.group(1));
          }
        }
      }
    }
    return deps;
  }
}
