package dev.nats.accounts.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nats.accounts.testing.Cli;
import dev.nats.accounts.testing.TestBed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The real nsc (tools/versions.env NSC_VERSION) on a store of its own under one temporary
 * directory: config ({@code --config-dir}, NSC_HOME), data ({@code --data-dir}), keys ({@code
 * --keystore-dir}, NKEYS_PATH) and a HOME/XDG home, so it never reads or writes the user's ~/.nsc,
 * ~/.nkeys, ~/.config or ~/.local.
 */
final class Nsc {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;

  Nsc(Path root) {
    this.root = root;
  }

  /** Runs {@code nsc ARGS} and fails unless it exits 0. */
  Cli.Result run(Object... args) {
    return command(args).run().assertOk();
  }

  Cli.Command command(Object... args) {
    Object[] all =
        Stream.concat(
                Stream.of(
                    "--config-dir", root.resolve("config"),
                    "--data-dir", root.resolve("store"),
                    "--keystore-dir", keystore()),
                Stream.of(args))
            .toArray();
    return Cli.command(TestBed.tool("nsc"), all)
        .home(root.resolve("home"))
        .env("NSC_HOME", root.resolve("config").toString())
        .env("NKEYS_PATH", keystore().toString());
  }

  Path keystore() {
    return root.resolve("keys");
  }

  /** {@code nsc describe ... -J}: the JWT body as nsc prints it. */
  JsonNode describeJson(Object... describeArgs) {
    List<Object> args = new ArrayList<>(List.of(describeArgs));
    args.add("--json");
    Cli.Result r = run(args.toArray());
    try {
      return JSON.readTree(r.stdout());
    } catch (IOException e) {
      throw new AssertionError("nsc printed no JSON: " + r, e);
    }
  }

  /**
   * {@code nsc export keys --operator --accounts --dir DIR}: the operator's and every account's
   * keys (identity and signing keys), one file {@code <public key>.nk} each, holding the seed as
   * nsc wrote it.
   */
  Map<String, Path> exportKeys(Path into) {
    run("export", "keys", "--operator", "--accounts", "--dir", into);
    Map<String, Path> files = new LinkedHashMap<>();
    try (Stream<Path> list = Files.list(into)) {
      list.filter(p -> p.getFileName().toString().endsWith(".nk"))
          .forEach(p -> files.put(p.getFileName().toString().replaceFirst("\\.nk$", ""), p));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  /**
   * nsc's tables (ASCII {@code +-|} without a terminal, box drawing with one), read into rows of
   * trimmed cells. Separator lines are dropped; a row of one cell is a table title.
   */
  record Tables(List<List<String>> rows) {
    private static final Pattern BORDER = Pattern.compile("[|│]");

    static Tables parse(String text) {
      List<List<String>> rows = new ArrayList<>();
      for (String raw : text.split("\\R")) {
        String line = raw.strip();
        if (line.length() < 2
            || !BORDER.matcher(line.substring(0, 1)).matches()
            || !BORDER.matcher(line.substring(line.length() - 1)).matches()) {
          continue;
        }
        String[] parts = BORDER.split(line.substring(1, line.length() - 1), -1);
        List<String> cells = new ArrayList<>();
        for (String p : parts) {
          cells.add(p.strip());
        }
        rows.add(cells);
      }
      return new Tables(rows);
    }

    /** The value of the two-column row {@code label} (the first one), or null. */
    String value(String label) {
      List<String> v = values(label);
      return v.isEmpty() ? null : v.get(0);
    }

    /**
     * The values of a list row: the row {@code label} and the rows right after it with an empty
     * label.
     */
    List<String> values(String label) {
      List<String> out = new ArrayList<>();
      boolean in = false;
      for (List<String> r : rows) {
        if (r.size() != 2) {
          in = false;
          continue;
        }
        if (r.get(0).equals(label)) {
          in = true;
          out.add(r.get(1));
        } else if (in && r.get(0).isEmpty()) {
          out.add(r.get(1));
        } else {
          in = false;
        }
      }
      return out;
    }

    /** The records of the table titled {@code title}: its first row names the columns. */
    List<Map<String, String>> table(String title) {
      List<Map<String, String>> out = new ArrayList<>();
      List<String> header = null;
      boolean in = false;
      for (List<String> r : rows) {
        if (r.size() == 1) {
          in = r.get(0).equals(title);
          header = null;
          continue;
        }
        if (!in) {
          continue;
        }
        if (header == null) {
          header = r;
          continue;
        }
        Map<String, String> rec = new LinkedHashMap<>();
        for (int i = 0; i < header.size() && i < r.size(); i++) {
          rec.put(header.get(i), r.get(i));
        }
        out.add(rec);
      }
      return out;
    }

    /**
     * Every two-column table titled {@code title}, as label-to-value maps (e.g. one per scoped
     * signing key).
     */
    List<Map<String, String>> details(String title) {
      List<Map<String, String>> out = new ArrayList<>();
      Map<String, String> cur = null;
      for (List<String> r : rows) {
        if (r.size() == 1) {
          cur = r.get(0).equals(title) ? new LinkedHashMap<>() : null;
          if (cur != null) {
            out.add(cur);
          }
        } else if (cur != null && r.size() == 2 && !r.get(0).isEmpty()) {
          cur.putIfAbsent(r.get(0), r.get(1));
        }
      }
      return out;
    }
  }
}
