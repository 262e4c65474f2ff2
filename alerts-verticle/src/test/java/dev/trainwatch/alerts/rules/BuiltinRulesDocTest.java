package dev.trainwatch.alerts.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** docs/alerts.md mirrors the built-in rules; this keeps the two from drifting apart. */
class BuiltinRulesDocTest {
  @Test
  void everyBuiltinRuleIsDocumentedWithItsValues() throws Exception {
    // Surefire runs in the module directory; the docs are one level up.
    String doc = Files.readString(Path.of("..", "docs", "alerts.md"));
    var rules = BuiltinRules.load();
    assertThat(rules).hasSize(8);
    for (Rule r : rules) {
      String row =
          "| `"
              + r.name()
              + "` | `"
              + r.metric().id
              + "` | `"
              + r.op().symbol
              + "` | "
              + num(r.threshold())
              + " | "
              + num(r.clear())
              + " | "
              + r.forDuration().toSeconds()
              + " s | "
              + r.clearFor().toSeconds()
              + " s | "
              + r.severity().id()
              + " | "
              + (r.resolve() == Rule.Resolve.ACK ? "ack" : "auto")
              + " | "
              + r.why()
              + " |";
      assertThat(doc).as("docs/alerts.md row for " + r.name()).contains(row);
    }
  }

  private static String num(Object v) {
    if (v == null) {
      return "—";
    }
    double d = ((Number) v).doubleValue();
    return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%s", d);
  }
}
