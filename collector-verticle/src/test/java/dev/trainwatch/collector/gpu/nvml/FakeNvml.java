package dev.trainwatch.collector.gpu.nvml;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * Builds the fake NVML library from {@code src/test/c/fake_nvml.c} with gcc at test time and lays
 * out one copy per scenario: the fake reads {@code fake-nvml.scenario} from its own directory, and
 * JNA/dlopen load a path once per JVM, so a fresh directory is a fresh, independent "driver".
 *
 * <p>Without gcc the calling test is aborted (reported as skipped) with a loud message, never
 * passed.
 */
public final class FakeNvml {
  private FakeNvml() {}

  public enum Variant {
    FULL(),
    LEGACY("-DFAKE_LEGACY"),
    NO_INIT_V2("-DFAKE_NO_INIT_V2");

    final List<String> flags;

    Variant(String... flags) {
      this.flags = List.of(flags);
    }
  }

  /** Test hooks the fake exports besides NVML. */
  public interface Control extends Library {
    long fake_nvml_calls(String function);

    int fake_nvml_inject_xid(int gpu, long xid);

    int fake_nvml_set_fail(String function, int code, int gpu);
  }

  /**
   * Neither the file name nor the soname is the real one: JNA also caches a loaded library under
   * its bare file name, and glibc's dlopen hands out a loaded library whose soname matches, so a
   * fake called libnvidia-ml.so.1 would answer a later search for the real driver by name in the
   * same JVM.
   */
  static final String SONAME = "libnvidia-ml-fake.so.1";

  static final String FILE = "libnvidia-ml-fake.so.1";

  private static final Map<Variant, Path> BUILT = new ConcurrentHashMap<>();
  private static final AtomicInteger SCENARIOS = new AtomicInteger();

  /**
   * The C source, found from this module (surefire), a sibling module (launcher) or the root (an
   * IDE, the bench).
   */
  public static Path source() {
    for (Path p :
        List.of(
            Path.of("src/test/c/fake_nvml.c"),
            Path.of("collector-verticle/src/test/c/fake_nvml.c"),
            Path.of("../collector-verticle/src/test/c/fake_nvml.c"))) {
      if (Files.isRegularFile(p)) {
        return p.toAbsolutePath();
      }
    }
    throw new IllegalStateException("fake_nvml.c not found from " + Path.of("").toAbsolutePath());
  }

  private static Path targetDir() {
    Path module = source().getParent().getParent().getParent().getParent();
    return module.resolve("target/fake-nvml");
  }

  /**
   * Compiles {@code variant} once per JVM (and only when the source is newer than the last build).
   */
  public static synchronized Path build(Variant variant) {
    Path built = BUILT.get(variant);
    if (built != null) {
      return built;
    }
    Path src = source();
    Path out = targetDir().resolve("build").resolve(variant.name().toLowerCase()).resolve(FILE);
    try {
      if (!Files.exists(out)
          || Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(src)) < 0) {
        requireGcc();
        Files.createDirectories(out.getParent());
        Path tmp = out.resolveSibling(FILE + ".tmp");
        List<String> cmd =
            new ArrayList<>(
                List.of("gcc", "-shared", "-fPIC", "-O2", "-Wall", "-Wl,-soname," + SONAME));
        cmd.addAll(variant.flags);
        cmd.addAll(List.of("-o", tmp.toString(), src.toString(), "-lpthread"));
        Result r = exec(cmd);
        if (r.exit != 0) {
          throw new IllegalStateException("gcc failed (" + r.exit + "): " + r.output);
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot build the fake NVML: " + e, e);
    }
    BUILT.put(variant, out);
    return out;
  }

  /** A fresh copy of the fake in its own directory with {@code scenario} as its scenario file. */
  public static Path scenario(String name, Variant variant, String scenario) {
    Path lib = build(variant);
    Path dir =
        targetDir()
            .resolve("scenarios")
            .resolve(
                name + "-" + ProcessHandle.current().pid() + "-" + SCENARIOS.incrementAndGet());
    try {
      Files.createDirectories(dir);
      Path copy = dir.resolve(FILE);
      Files.copy(lib, copy, StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(dir.resolve("fake-nvml.scenario"), scenario);
      return copy;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A scenario file from {@code src/test/resources/gpu/scenarios}, with {@code ${SELF_PID}} filled
   * in.
   */
  public static String resource(String name) {
    try (InputStream in = FakeNvml.class.getResourceAsStream("/gpu/scenarios/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no scenario resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("${SELF_PID}", Long.toString(ProcessHandle.current().pid()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Control control(Path library) {
    return Native.load(library.toString(), Control.class);
  }

  private static void requireGcc() {
    String why;
    try {
      Result r = exec(List.of("gcc", "--version"));
      if (r.exit == 0) {
        return;
      }
      why = "gcc --version exited " + r.exit + ": " + r.output;
    } catch (IOException e) {
      why = e.getMessage();
    }
    String msg =
        "gcc not found: "
            + why
            + " — the fake libnvidia-ml.so.1 cannot be built, so the NVML binding "
            + "tests are SKIPPED, not passed. Install gcc to run them.";
    System.err.println("\n*** " + msg + " ***\n");
    Assumptions.abort(msg);
  }

  private record Result(int exit, String output) {}

  private static Result exec(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
    return new Result(p.exitValue(), out);
  }
}
