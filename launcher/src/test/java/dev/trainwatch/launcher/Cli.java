package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * Runs a `trainwatch` command in this JVM as an operator would from a shell, against a test's data
 * directory.
 */
final class Cli {
  private Cli() {}

  /** What the command printed on stdout; fails the test unless it exits 0. */
  static String run(Path dataDir, String... args) throws Exception {
    Path cfg = dataDir.resolve("cli.json");
    Files.writeString(cfg, new JsonObject().put("data_dir", dataDir.toString()).encode());
    String[] full =
        Stream.concat(Arrays.stream(args), Stream.of("--config", cfg.toString()))
            .toArray(String[]::new);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertThat(Main.commandLine().execute(full))
          .as("exit code of " + String.join(" ", args))
          .isZero();
    } finally {
      System.setOut(old);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
