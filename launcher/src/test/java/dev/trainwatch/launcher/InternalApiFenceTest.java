package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No main code reaches into a library's {@code impl} or {@code internal} packages (a library upgrade may move or drop
 * them without notice) except the uses listed here, each with why it is worth the risk. A new use fails this test
 * until it is listed; a listed use that went away fails it too, so the list stays true.
 */
class InternalApiFenceTest {
  /** Any package segment named impl or internal, in the libraries we build on. */
  private static final Pattern INTERNAL =
      Pattern.compile("\\b((?:io\\.vertx|io\\.netty|com\\.fasterxml|oshi|com\\.sun\\.jna)(?:\\.\\w+)*\\.(?:impl|internal)"
          + "(?:\\.\\w+)*\\.[A-Z]\\w*)");

  /** file (from the repository root) → internal types it may use. */
  private static final Map<String, List<String>> ALLOWED = Map.of(
      // A heap buffer's backing array is parsed in place: copying every ~20 KB ingest body cost measurable
      // throughput (docs/benchmarks.md, issue 4). Falls back to getBytes() for any other Buffer.
      "bus-model/src/main/java/dev/trainwatch/bus/JsonCursor.java",
      List.of("io.vertx.core.internal.buffer.BufferInternal"),
      // Postgres array_send bytes are read straight from the row's ByteBuf into primitive accumulators (issue 6).
      "history-verticle/src/main/java/dev/trainwatch/history/Agg.java",
      List.of("io.vertx.core.internal.buffer.BufferInternal"),
      // The streamed history reply is wrapped as a Buffer without a copy (issue 6).
      "history-verticle/src/main/java/dev/trainwatch/history/Points.java",
      List.of("io.vertx.core.internal.buffer.BufferInternal"),
      // Shared, pre-encoded WebSocket frames are written to the channel directly (issue 7) through
      // WebSocketInternal, which has the same method in 5.0 and 5.1 (the impl class it replaced moved in 5.1); the
      // public-API fallback runs when it is absent or switched off (WebSocketChannelsPublicApiTest).
      "ws-gateway/src/main/java/dev/trainwatch/gateway/WsSession.java",
      List.of("io.vertx.core.internal.http.WebSocketInternal"));

  @Test
  void internalApisAreUsedOnlyWhereListed() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Map<String, TreeSet<String>> found = new java.util.TreeMap<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path main : modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
        try (Stream<Path> files = Files.walk(main)) {
          for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
            Matcher m = INTERNAL.matcher(Files.readString(f));
            while (m.find()) {
              found.computeIfAbsent(root.relativize(f).toString(), k -> new TreeSet<>()).add(m.group(1));
            }
          }
        }
      }
    }
    Map<String, TreeSet<String>> allowed = new java.util.TreeMap<>();
    ALLOWED.forEach((file, types) -> allowed.put(file, new TreeSet<>(types)));
    assertThat(found).as("internal APIs in main code (list new ones in ALLOWED, with why)").isEqualTo(allowed);
    assertThat(new ArrayList<>(found.keySet())).isNotEmpty();
  }
}
