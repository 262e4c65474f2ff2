package dev.trainwatch.launcher;

import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code trainwatch} command in a JVM of its own (the test class path, the product's main class),
 * as a cluster node or the shared Postgres runs in production: separate processes, killable with
 * SIGKILL. Its output goes to a log file, and a reader thread completes {@link #line(Pattern)}
 * futures as lines match, so tests wait on output, not on time.
 */
final class NodeProcess implements AutoCloseable {
  static final Pattern DASHBOARD =
      Pattern.compile("Trainwatch dashboard: http://127\\.0\\.0\\.1:(\\d+)/");
  static final Pattern RATES_NODE = Pattern.compile("rates node (\\S+) up");

  private final Process process;
  final Path log;
  private final Map<Pattern, CompletableFuture<Matcher>> waiting = new ConcurrentHashMap<>();
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private NodeProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    Thread reader = new Thread(this::pump, "node-output-" + log.getFileName());
    reader.setDaemon(true);
    reader.start();
  }

  static NodeProcess start(Path log, String... args) throws IOException {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Djava.net.preferIPv4Stack=true",
                "-cp",
                cp,
                Main.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("TRAINWATCH_"));
    Process p = pb.start();
    // A test that fails before its clean-up must not leave nodes (and their Postgres) running after
    // the test JVM.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  p.destroy();
                  try {
                    if (!p.waitFor(20, TimeUnit.SECONDS)) {
                      p.destroyForcibly();
                    }
                  } catch (InterruptedException e) {
                    p.destroyForcibly();
                  }
                }));
    return new NodeProcess(p, log);
  }

  private void pump() {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.println(line);
        lines.add(line);
        for (var e : waiting.entrySet()) {
          Matcher m = e.getKey().matcher(line);
          if (m.find()) {
            e.getValue().complete(m);
          }
        }
      }
    } catch (IOException e) {
      // the process went away: handled below like an end of output
    }
    ended = true;
    // Whoever still waits learns now, with the output in hand, rather than at its timeout.
    waiting
        .values()
        .forEach(
            f ->
                f.completeExceptionally(
                    new AssertionError("the process ended; output:\n" + output())));
  }

  private volatile boolean ended;

  /** The first line (past or future) matching {@code p}. */
  Matcher line(Pattern p, long timeoutSeconds) throws Exception {
    CompletableFuture<Matcher> f = waiting.computeIfAbsent(p, k -> new CompletableFuture<>());
    for (String l : lines) {
      Matcher m = p.matcher(l);
      if (m.find()) {
        f.complete(m);
      }
    }
    if (ended && !f.isDone()) {
      throw new AssertionError(
          "no line matching " + p + " and the process has ended; output:\n" + output());
    }
    try {
      return f.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (AssertionError) e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError(
          "no line matching " + p + " within " + timeoutSeconds + " s; output:\n" + output());
    }
  }

  String output() {
    return String.join("\n", lines);
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no goodbye on the bus. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /**
   * A test's clean-up: its Vert.x, then the nodes, then their Postgres, whatever fails on the way;
   * the logs of {@code dir} are kept in target/cluster-test-logs for whoever reads a failure (CI
   * keeps target/).
   */
  static void stopAll(Path dir, Vertx vertx, List<NodeProcess> nodes, NodeProcess postgres)
      throws Exception {
    Path keep = Path.of("target", "cluster-test-logs");
    Files.createDirectories(keep);
    try (var logs = Files.list(dir)) {
      for (Path log : logs.filter(f -> f.toString().endsWith(".log")).toList()) {
        Files.copy(log, keep.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    try {
      if (vertx != null) {
        vertx.close().await(30, TimeUnit.SECONDS);
      }
    } finally {
      for (NodeProcess n : nodes) {
        n.close();
      }
      if (postgres != null) {
        postgres.close();
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
