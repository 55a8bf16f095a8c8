package dev.nats.accounts.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nats.accounts.testing.GeneratedFiles;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The values table of the chart README is generated from values.yaml (keys, defaults as written,
 * the comment above each key), so it cannot drift from what the chart does; and every key of
 * values.yaml is described by values.schema.json, so a new value is never refused by the schema the
 * moment it ships.
 */
class ChartValuesTableTest {
  static final String VALUES = "charts/nats-account-operator/values.yaml";
  static final String README = "charts/nats-account-operator/README.md";
  static final String SCHEMA = "charts/nats-account-operator/values.schema.json";

  /**
   * One key of values.yaml: its dotted path, default as written (empty for a block), its comment.
   */
  record Row(String key, String defaultValue, String description, boolean leaf) {}

  @Test
  void theReadmeValuesTableIsGeneratedFromValuesYaml() {
    String readme = GeneratedFiles.read(README);
    GeneratedFiles.check(
        README,
        GeneratedFiles.replaceSection(readme, "values", table(rows(GeneratedFiles.read(VALUES)))));
  }

  @Test
  void everyValueIsDescribedByTheSchema() throws IOException {
    JsonNode schema = new ObjectMapper().readTree(GeneratedFiles.read(SCHEMA));
    List<String> missing = new ArrayList<>();
    for (Row r : rows(GeneratedFiles.read(VALUES))) {
      JsonNode node = schema;
      for (String part : r.key().split("\\.")) {
        if (node.path("properties").has(part)) {
          node = node.path("properties").path(part);
        } else {
          // a map the schema passes through (labels, securityContext, resources …) may hold any key
          if (!node.path("additionalProperties").asBoolean(true)) {
            missing.add(r.key());
          }
          break;
        }
      }
    }
    assertEquals(
        List.of(),
        missing,
        "values.yaml keys the schema does not describe (add them to " + SCHEMA + ")");
  }

  static List<Row> rows(String valuesYaml) {
    List<Row> rows = new ArrayList<>();
    Deque<int[]> indents = new ArrayDeque<>();
    Deque<String> path = new ArrayDeque<>();
    List<String> comment = new ArrayList<>();
    for (String line : valuesYaml.split("\n")) {
      String t = line.strip();
      if (t.isEmpty()) {
        comment.clear();
        continue;
      }
      if (t.startsWith("#")) {
        comment.add(t.replaceFirst("^#\\s?", ""));
        continue;
      }
      if (t.startsWith("- ")) {
        continue; // an item of a block list: part of its key's default
      }
      int indent = line.length() - line.stripLeading().length();
      while (!indents.isEmpty() && indents.peek()[0] >= indent) {
        indents.pop();
        path.removeLast();
      }
      int colon = t.indexOf(':');
      String key = t.substring(0, colon);
      String rest = t.substring(colon + 1).strip();
      String dotted = path.isEmpty() ? key : String.join(".", path) + "." + key;
      String description = String.join(" ", comment);
      comment.clear();
      if (rest.isEmpty()) {
        rows.add(new Row(dotted, "", description, false));
        indents.push(new int[] {indent});
        path.addLast(key);
      } else {
        rows.add(new Row(dotted, rest, description, true));
      }
    }
    return rows;
  }

  static String table(List<Row> rows) {
    StringBuilder sb = new StringBuilder("| Key | Default | Description |\n| --- | --- | --- |\n");
    for (Row r : rows) {
      if (!r.leaf() && r.description().isEmpty()) {
        continue;
      }
      sb.append("| `")
          .append(r.key())
          .append("` | ")
          .append(
              r.defaultValue().isEmpty() ? "" : "`" + r.defaultValue().replace("|", "\\|") + "`")
          .append(" | ")
          .append(r.description().replace("|", "\\|"))
          .append(" |\n");
    }
    return sb.toString();
  }

  @Test
  void rowsFollowNestingAndComments() {
    List<Row> rows =
        rows(
            """
        # Top.
        a:
          # Inner.
          b: 1
          c: [x]

        d: ""
        """);
    assertEquals(
        List.of(
            new Row("a", "", "Top.", false),
            new Row("a.b", "1", "Inner.", true),
            new Row("a.c", "[x]", "", true),
            new Row("d", "\"\"", "", true)),
        rows);
    assertTrue(table(rows).contains("| `a.b` | `1` | Inner. |"));
  }
}
