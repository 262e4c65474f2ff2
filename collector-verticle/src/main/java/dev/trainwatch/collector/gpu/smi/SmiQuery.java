package dev.trainwatch.collector.gpu.smi;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code --query-gpu} field list for this driver: an ordered list of (field, query name). Pure
 * functions; {@link SmiGpuSource} feeds them the driver's help text and error messages.
 */
record SmiQuery(List<SmiField> fields, List<String> names) {
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");
  private static final Pattern INVALID_FIELD =
      Pattern.compile("Field \"([^\"]+)\" is not a valid field to query");

  SmiQuery {
    fields = List.copyOf(fields);
    names = List.copyOf(names);
  }

  /** Every query name {@code --help-query-gpu} lists, aliases included ("a" or "b" lines). */
  static Set<String> validNames(String help) {
    Set<String> out = new LinkedHashSet<>();
    if (help == null) {
      return out;
    }
    for (String line : help.split("\n")) {
      String l = line.strip();
      if (l.startsWith("\"")) {
        Matcher m = QUOTED.matcher(l);
        while (m.find()) {
          out.add(m.group(1));
        }
      }
    }
    return out;
  }

  /**
   * For each field the first name the driver lists. Without help text (it failed to run) each
   * field's first name is tried and {@link #without} trims what the driver rejects.
   */
  static SmiQuery choose(Set<String> valid) {
    List<SmiField> fields = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (SmiField f : SmiField.values()) {
      String pick =
          valid.isEmpty()
              ? f.names.get(0)
              : f.names.stream().filter(valid::contains).findFirst().orElse(null);
      if (pick != null) {
        fields.add(f);
        names.add(pick);
      }
    }
    return new SmiQuery(fields, names);
  }

  /**
   * The name an error message says the driver rejects ("Field "x" is not a valid field to query."),
   * or null.
   */
  static String rejectedName(String output) {
    Matcher m = INVALID_FIELD.matcher(output == null ? "" : output);
    return m.find() ? m.group(1) : null;
  }

  /** This query without {@code name}, or with the field's next candidate name in its place. */
  SmiQuery without(String name) {
    List<SmiField> f = new ArrayList<>(fields);
    List<String> n = new ArrayList<>(names);
    int i = n.indexOf(name);
    if (i < 0) {
      return this;
    }
    SmiField field = f.get(i);
    int next = field.names.indexOf(name) + 1;
    if (next > 0 && next < field.names.size()) {
      n.set(i, field.names.get(next));
    } else {
      f.remove(i);
      n.remove(i);
    }
    return new SmiQuery(f, n);
  }

  boolean has(SmiField f) {
    return fields.contains(f);
  }

  String argument() {
    return "--query-gpu=" + String.join(",", names);
  }

  @Override
  public String toString() {
    return names.stream().collect(Collectors.joining(","));
  }
}
