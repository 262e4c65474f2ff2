package dev.trainwatch.collector.gpu.smi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a short command and returns its output. Blocking: callers are on a worker. stderr is merged
 * into stdout so nvidia-smi's error text is available; the CSV parser rejects lines that do not
 * fit. A command still running at the timeout is killed, which closes its stdout and ends the read.
 */
final class CommandRunner {
  private static final int MAX_OUTPUT = 4 << 20;

  record Result(int exitCode, String output, boolean timedOut) {
    boolean ok() {
      return exitCode == 0 && !timedOut;
    }

    /** The first non-blank output line, for a one-line reason. */
    String firstLine() {
      for (String l : output.split("\\R")) {
        if (!l.isBlank()) {
          return l.strip();
        }
      }
      return "";
    }
  }

  private final long timeoutMillis;

  /**
   * Up to {@link #MAX_OUTPUT} bytes, draining the rest so the child cannot block on a full pipe.
   * Killing the child closes the stream under the reader; what was read by then is kept.
   */
  private static byte[] read(InputStream in, AtomicBoolean killed) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(chunk)) >= 0) {
        if (out.size() < MAX_OUTPUT) {
          out.write(chunk, 0, Math.min(n, MAX_OUTPUT - out.size()));
        }
      }
    } catch (IOException e) {
      if (!killed.get()) {
        throw e;
      }
    }
    return out.toByteArray();
  }

  CommandRunner(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  Result run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    AtomicBoolean killed = new AtomicBoolean();
    CompletableFuture.delayedExecutor(timeoutMillis, TimeUnit.MILLISECONDS)
        .execute(
            () -> {
              if (p.isAlive()) {
                killed.set(true);
                p.destroyForcibly();
              }
            });
    byte[] out = read(p.getInputStream(), killed);
    try {
      if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new Result(-1, new String(out, StandardCharsets.UTF_8), true);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(-1, new String(out, StandardCharsets.UTF_8), true);
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), killed.get());
  }
}
