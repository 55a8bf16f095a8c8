package dev.nats.accounts.inspect;

import java.util.ArrayList;
import java.util.List;

/**
 * Draws a {@link Report} in the ASCII shape nsc prints without a terminal ({@code +---+}, {@code
 * |}), so that a user who knows {@code nsc describe} finds the same rows in the same places, and
 * the tests' nsc table reader reads ours too.
 */
final class Tables {
  private Tables() {}

  static String render(Report report) {
    StringBuilder b = new StringBuilder();
    for (Report.Section s : report.sections()) {
      if (!b.isEmpty()) {
        b.append('\n');
      }
      if (s instanceof Report.Fields f) {
        fields(b, f);
      } else {
        rows(b, (Report.Rows) s);
      }
    }
    if (!report.problems().isEmpty()) {
      b.append(b.isEmpty() ? "" : "\n").append("Not verified:\n");
      report.problems().forEach(p -> b.append("  - ").append(p).append('\n'));
    }
    return b.toString();
  }

  private static void fields(StringBuilder b, Report.Fields f) {
    List<List<String>> rows = new ArrayList<>();
    for (Report.Field field : f.rows()) {
      if (field.label() == null) {
        rows.add(null);
        continue;
      }
      List<String> lines = field.value().isEmpty() ? List.of("") : field.value().lines().toList();
      for (int i = 0; i < lines.size(); i++) {
        rows.add(List.of(i == 0 ? field.label() : "", lines.get(i)));
      }
    }
    draw(b, f.title(), null, rows);
  }

  private static void rows(StringBuilder b, Report.Rows r) {
    if (r.rows().isEmpty()) {
      draw(b, r.title(), null, List.of(List.of("None")));
      return;
    }
    draw(b, r.title(), r.columns(), r.rows());
  }

  /** A null row is a separator. */
  private static void draw(
      StringBuilder b, String title, List<String> header, List<List<String>> rows) {
    int cols =
        header != null
            ? header.size()
            : rows.stream().filter(r -> r != null).mapToInt(List::size).max().orElse(1);
    int[] w = new int[cols];
    if (header != null) {
      widen(w, header);
    }
    rows.stream().filter(r -> r != null).forEach(r -> widen(w, r));
    int inner = 0;
    for (int x : w) {
      inner += x + 3;
    }
    inner -= 1;
    if (title.length() + 2 > inner) {
      w[cols - 1] += title.length() + 2 - inner;
      inner = title.length() + 2;
    }
    String line = line(w);
    b.append('+').append("-".repeat(inner)).append("+\n");
    int left = (inner - title.length()) / 2;
    b.append('|')
        .append(" ".repeat(left))
        .append(title)
        .append(" ".repeat(inner - left - title.length()))
        .append("|\n");
    b.append(line);
    if (header != null) {
      row(b, w, header);
      b.append(line);
    }
    boolean lastWasLine = true;
    for (List<String> r : rows) {
      if (r == null) {
        if (!lastWasLine) {
          b.append(line);
          lastWasLine = true;
        }
        continue;
      }
      row(b, w, r);
      lastWasLine = false;
    }
    if (!lastWasLine) {
      b.append(line);
    }
  }

  private static void widen(int[] w, List<String> cells) {
    for (int i = 0; i < cells.size() && i < w.length; i++) {
      w[i] = Math.max(w[i], cells.get(i).length());
    }
  }

  private static String line(int[] w) {
    StringBuilder b = new StringBuilder("+");
    for (int x : w) {
      b.append("-".repeat(x + 2)).append('+');
    }
    return b.append('\n').toString();
  }

  private static void row(StringBuilder b, int[] w, List<String> cells) {
    b.append('|');
    for (int i = 0; i < w.length; i++) {
      String c = i < cells.size() ? cells.get(i) : "";
      b.append(' ').append(c).append(" ".repeat(w[i] - c.length())).append(" |");
    }
    b.append('\n');
  }
}
