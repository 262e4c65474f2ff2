package dev.trainwatch.rates.bottleneck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.rates.bottleneck.RuleTable.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/bottleneck.md mirrors the rule table; this keeps the two from drifting apart. */
class RuleTableDocTest {
  private static final double MIB = 1024 * 1024;

  private static String doc() throws IOException {
    // Surefire runs in the module directory; the docs are one level up.
    return Files.readString(Path.of("..", "docs", "bottleneck.md"));
  }

  @Test
  void everyClauseHasARowWithTheSameThresholds() throws IOException {
    String doc = doc();
    for (Rule r : Rule.values()) {
      for (Threshold t : r.clauses) {
        double scale = t.signal().unit == Signal.Unit.BYTES_PER_S ? MIB : 1;
        String row =
            "\\| `"
                + Pattern.quote(r.label)
                + "`[^|]*\\| [^|]*`"
                + t.signal().name()
                + "`\\) \\| "
                + Pattern.quote(t.op().holds)
                + " \\| "
                + number(t.enter() / scale)
                + " \\| "
                + number(t.exit() / scale)
                + " \\|";
        assertThat(Pattern.compile(row).matcher(doc).find())
            .as("row for %s %s", r.label, t.signal())
            .isTrue();
      }
    }
    long rows =
        doc.lines().filter(l -> l.matches("\\| `[a-z-]+`( \\((any|all)\\))? \\| .*")).count();
    assertThat(rows)
        .isEqualTo(List.of(Rule.values()).stream().mapToLong(r -> r.clauses.size()).sum());
  }

  @Test
  void constantsMatch() throws IOException {
    String doc = doc();
    assertThat(doc)
        .contains("| `STARVED_HIGH_PERCENT` | " + number(RuleTable.STARVED_HIGH_PERCENT) + " |");
    assertThat(doc)
        .contains("| `STARVED_LOW_PERCENT` | " + number(RuleTable.STARVED_LOW_PERCENT) + " |");
    assertThat(doc).contains("| `STARVED_MIN_DROPS` | " + RuleTable.STARVED_MIN_DROPS + " |");
    assertThat(doc)
        .contains(
            "| `SATURATED_CORE_PERCENT` | " + number(RuleTable.SATURATED_CORE_PERCENT) + " |");
    for (String benign : RuleTable.BENIGN_CLOCK_REASONS) {
      assertThat(doc).containsPattern("\\| `BENIGN_CLOCK_REASONS` \\|[^\\n]*`" + benign + "`");
    }
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
