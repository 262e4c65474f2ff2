package dev.trainwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.agent.send.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * docs/agent.md mirrors the troubleshooting table and the command line; this keeps them from
 * drifting apart.
 */
class AgentDocTest {
  private static String doc() throws IOException {
    // Surefire runs in the module directory; the docs are one level up.
    return Files.readString(Path.of("..", "docs", "agent.md"));
  }

  @Test
  void everyProblemHasItsRowWithTheSameCodeAndHint() throws IOException {
    String doc = doc();
    for (Problem p : Problem.values()) {
      assertThat(doc)
          .as("row for %s", p)
          .contains(
              "| "
                  + p.exitCode()
                  + " | "
                  + p.what()
                  + " | "
                  + (p.retried() ? "kept, retried" : "dropped, counted")
                  + " | "
                  + p.hint()
                  + " |");
    }
    long rows =
        doc.lines()
            .filter(
                l -> l.matches("\\| \\d+ \\| [^|]+ \\| (kept, retried|dropped, counted) \\| .*"))
            .count();
    assertThat(rows).isEqualTo(Problem.values().length);
  }

  @Test
  void everyOptionIsDocumented() throws IOException {
    String doc = doc();
    for (OptionSpec o : new CommandLine(new AgentMain()).getCommandSpec().options()) {
      assertThat(doc).as("option %s", o.longestName()).contains("| `" + o.longestName());
    }
  }
}
