package dev.trainwatch.collector.gpu.smi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the real nvidia-smi captures in {@code src/test/resources/gpu/nvidia-smi/}. Each capture
 * ran {@code --query-gpu} once with ~200 fields ({@code --format=csv}, header and units); {@link
 * #project} picks the cells our query asks for, matching names through the driver's own alias list,
 * and changes nothing else, so the parser sees the capture's real tokens ({@code [N/A]}, {@code
 * 0x...}, units and all).
 */
final class Captures {
  private Captures() {}

  static final List<String> FILES =
      List.of(
          "linux-x86_64__nvidia-geforce-rtx-2080-super__595.71.05.txt",
          "linux-x86_64__nvidia-geforce-rtx-4080-super__595.71.05.txt",
          "linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt",
          "linux-x86_64__nvidia-l40s__595.80.txt");

  static String text(String file) {
    try (InputStream in = Captures.class.getResourceAsStream("/gpu/nvidia-smi/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing capture " + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The body of the section titled {@code # <title>} (between its banner and the next one). */
  static String section(String file, String title) {
    String[] lines = text(file).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].startsWith("# " + title)) {
        int start = i + 1;
        while (start < lines.length && lines[start].startsWith("#")) {
          start++;
        }
        StringBuilder body = new StringBuilder();
        for (int j = start; j < lines.length && !lines[j].startsWith("########"); j++) {
          body.append(lines[j]).append('\n');
        }
        return body.toString();
      }
    }
    throw new IllegalStateException(file + " has no section " + title);
  }

  static String help(String file) {
    return section(file, "capabilities :: help-query-gpu");
  }

  /**
   * The query-gpu header (units stripped) mapped to the one data row of the {@code idle} or {@code
   * load} phase.
   */
  static Map<String, String> gpuRow(String file, String phase) {
    List<String> lines = nonBlank(section(file, phase + " :: query-gpu"));
    return zip(lines.get(0), lines.get(1));
  }

  /** The query-compute-apps rows of a phase, each keyed by header name. */
  static List<Map<String, String>> appRows(String file, String phase) {
    List<String> lines = nonBlank(section(file, phase + " :: query-compute-apps"));
    List<Map<String, String>> rows = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      rows.add(zip(lines.get(0), lines.get(i)));
    }
    return rows;
  }

  /** The CSV line nvidia-smi would print for {@code query}, using the capture's cells unchanged. */
  static String project(String file, String phase, SmiQuery query) {
    Map<String, String> row = gpuRow(file, phase);
    List<Set<String>> aliases = aliasGroups(help(file));
    List<String> cells = new ArrayList<>();
    for (String name : query.names()) {
      cells.add(row.get(headerFor(name, row, aliases)));
    }
    return String.join(", ", cells);
  }

  /** The process CSV for {@link SmiCsv#PROCESS_QUERY}, from the capture's cells. */
  static String projectApps(String file, String phase) {
    StringBuilder out = new StringBuilder();
    for (Map<String, String> r : appRows(file, phase)) {
      out.append(r.get("pid"))
          .append(", ")
          .append(r.get("gpu_uuid"))
          .append(", ")
          .append(r.get("used_gpu_memory"))
          .append(", ")
          .append(r.get("process_name"))
          .append('\n');
    }
    return out.toString();
  }

  private static String headerFor(String name, Map<String, String> row, List<Set<String>> aliases) {
    if (row.containsKey(name)) {
      return name;
    }
    for (Set<String> group : aliases) {
      if (group.contains(name)) {
        for (String alias : group) {
          if (row.containsKey(alias)) {
            return alias;
          }
        }
      }
    }
    throw new IllegalStateException("capture has no column for " + name);
  }

  private static List<Set<String>> aliasGroups(String help) {
    List<Set<String>> groups = new ArrayList<>();
    for (String line : help.split("\n")) {
      if (line.startsWith("\"")) {
        groups.add(SmiQuery.validNames(line));
      }
    }
    return groups;
  }

  private static Map<String, String> zip(String header, String row) {
    String[] h = header.split(", ", -1);
    String[] r = row.split(", ", -1);
    if (h.length != r.length) {
      throw new IllegalStateException("header has " + h.length + " cells, row " + r.length);
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < h.length; i++) {
      m.put(h[i].replaceAll(" \\[.*]$", ""), r[i]);
    }
    return m;
  }

  private static List<String> nonBlank(String s) {
    return s.lines().filter(l -> !l.isBlank()).toList();
  }
}
