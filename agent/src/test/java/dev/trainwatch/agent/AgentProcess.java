package dev.trainwatch.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code trainwatch-agent} in its own JVM (the test class path, the product's JVM flags),
 * its log in a file the test reads. Killing it with {@link #kill()} is a SIGKILL: no shutdown hook,
 * no cursor write.
 */
final class AgentProcess implements AutoCloseable {
  private static final Pattern SPOOLED = Pattern.compile("spooled seq=(\\d+)");

  private final Process process;
  private final Path log;

  private AgentProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static AgentProcess start(Path log, String... args) throws IOException {
    return start(log, Map.of(), args);
  }

  static AgentProcess start(Path log, Map<String, String> env, String... args) throws IOException {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Djava.net.preferIPv4Stack=true",
                "-cp",
                cp,
                AgentMain.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("AI_DASHBOARD_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    return new AgentProcess(p, log);
  }

  String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The seqs the agent wrote to its spool, in order (it logs each at DEBUG). */
  List<Long> spooled() {
    List<Long> out = new ArrayList<>();
    Matcher m = SPOOLED.matcher(log());
    while (m.find()) {
      out.add(Long.parseLong(m.group(1)));
    }
    return out;
  }

  /** Waits for a {@code --once} run to end; its exit code. */
  int exitCode(long timeoutSeconds) throws InterruptedException {
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("agent still running after " + timeoutSeconds + " s:\n" + log());
    }
    return process.exitValue();
  }

  boolean alive() {
    return process.isAlive();
  }

  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** SIGTERM, as systemd stops it; the exit code. */
  int terminate() throws InterruptedException {
    process.destroy();
    return process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      terminate();
    }
  }
}
