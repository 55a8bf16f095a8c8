package dev.nats.accounts.inspect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an inspection command prints, kept as data so that the table a person reads and the JSON or
 * YAML a script reads cannot say different things.
 *
 * @param problems what could not be verified or found; non-empty means exit code 1
 */
public record Report(List<Section> sections, List<String> problems) {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  public Report {
    sections = List.copyOf(sections);
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty();
  }

  public Report plus(Report other) {
    List<Section> s = new ArrayList<>(sections);
    s.addAll(other.sections);
    List<String> p = new ArrayList<>(problems);
    p.addAll(other.problems);
    return new Report(s, p);
  }

  /** A part of a report: label/value rows (as nsc's details tables) or a table with columns. */
  public sealed interface Section permits Fields, Rows {
    String title();
  }

  /**
   * Label/value rows; a null label draws a separator line, a value of several lines is one row per
   * line (the later ones with an empty label, as nsc lists signing keys).
   */
  public record Fields(String title, List<Field> rows) implements Section {
    public Fields {
      rows = List.copyOf(rows);
    }
  }

  public record Field(String label, String value) {
    public static final Field SEPARATOR = new Field(null, "");

    public Field {
      value = value == null ? "" : value;
    }
  }

  public record Rows(String title, List<String> columns, List<List<String>> rows)
      implements Section {
    public Rows {
      columns = List.copyOf(columns);
      rows = rows.stream().map(r -> r.stream().map(c -> c == null ? "" : c).toList()).toList();
    }
  }

  public enum Format {
    TABLE,
    JSON,
    YAML;

    public static Format parse(String s) {
      return switch (s) {
        case "table" -> TABLE;
        case "json" -> JSON;
        case "yaml" -> YAML;
        default ->
            throw new IllegalArgumentException("-o must be table, json or yaml, not \"" + s + "\"");
      };
    }
  }

  public String render(Format format) {
    try {
      return switch (format) {
        case TABLE -> Tables.render(this);
        case JSON -> JSON.writeValueAsString(tree()) + "\n";
        case YAML -> YAML.writeValueAsString(tree());
      };
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The report as maps and lists: sections by title, fields by camelCased label. */
  Map<String, Object> tree() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Section s : sections) {
      Object value;
      if (s instanceof Fields f) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Field field : f.rows()) {
          if (field.label() != null) {
            List<String> lines = field.value().lines().toList();
            m.put(key(field.label()), lines.size() > 1 ? lines : field.value());
          }
        }
        value = m;
      } else {
        Rows r = (Rows) s;
        List<Map<String, String>> list = new ArrayList<>();
        for (List<String> row : r.rows()) {
          Map<String, String> m = new LinkedHashMap<>();
          for (int i = 0; i < r.columns().size(); i++) {
            m.put(key(r.columns().get(i)), i < row.size() ? row.get(i) : "");
          }
          list.add(m);
        }
        value = list;
      }
      String k = key(s.title());
      // the same title twice (two tokens in one report): a list of them
      if (out.containsKey(k)) {
        Object prev = out.get(k);
        List<Object> many = new ArrayList<>();
        if (prev instanceof Multiple m) {
          many.addAll(m.items());
        } else {
          many.add(prev);
        }
        many.add(value);
        out.put(k, new Multiple(many));
      } else {
        out.put(k, value);
      }
    }
    out.replaceAll((k, v) -> v instanceof Multiple m ? m.items() : v);
    out.put("problems", problems);
    out.put("verified", ok());
    return out;
  }

  private record Multiple(List<Object> items) {}

  /** "Account ID" -> accountId, "Max Msg Payload" -> maxMsgPayload. */
  static String key(String label) {
    if (label.matches("[a-z][A-Za-z0-9]*")) {
      return label; // already a field name (a status field)
    }
    String[] words = label.replaceAll("[^A-Za-z0-9]+", " ").trim().split(" ");
    StringBuilder b = new StringBuilder();
    for (String w : words) {
      if (w.isEmpty()) {
        continue;
      }
      String lower = w.toLowerCase(Locale.ROOT);
      b.append(b.isEmpty() ? lower : Character.toUpperCase(lower.charAt(0)) + lower.substring(1));
    }
    return b.toString();
  }
}
