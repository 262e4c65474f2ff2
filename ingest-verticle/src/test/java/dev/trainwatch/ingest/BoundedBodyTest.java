package dev.trainwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Inflation inside ingest: the output is capped whatever the input claims, and garbage is the
 * client's fault.
 */
class BoundedBodyTest {
  static byte[] gzip(byte[] data, int times) throws Exception {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
      for (int i = 0; i < times; i++) {
        gz.write(data);
      }
    }
    return bos.toByteArray();
  }

  @Test
  void aBodyInflatesToWhatWasSent() throws Exception {
    byte[] json =
        "{\"schema\":1,\"ts\":\"2026-12-04T06:00:00.000Z\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(BoundedBody.inflate(Buffer.buffer(gzip(json, 1)), 1024).getBytes()).isEqualTo(json);
  }

  @Test
  void aBombStopsOneByteOverTheLimit() throws Exception {
    // 64 MiB of spaces in ~64 KiB: inflating it would take 64 MiB; the cap stops it at 1 MiB + 1.
    byte[] bomb = gzip(" ".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII), 64);
    assertThat(bomb.length).isLessThan(128 * 1024);
    assertThatThrownBy(() -> BoundedBody.inflate(Buffer.buffer(bomb), 1 << 20))
        .isInstanceOf(BoundedBody.TooLarge.class);
    byte[] exact = gzip(new byte[1 << 20], 1);
    assertThat(BoundedBody.inflate(Buffer.buffer(exact), 1 << 20).length())
        .as("exactly the limit passes")
        .isEqualTo(1 << 20);
  }

  @Test
  void garbageAndTruncationAreBadGzip() throws Exception {
    assertThatThrownBy(() -> BoundedBody.inflate(Buffer.buffer("{\"not\":\"gzip\"}"), 1024))
        .isInstanceOf(BoundedBody.BadGzip.class);
    byte[] whole = gzip("hello".repeat(100).getBytes(StandardCharsets.US_ASCII), 1);
    byte[] cut = Arrays.copyOf(whole, whole.length / 2);
    assertThatThrownBy(() -> BoundedBody.inflate(Buffer.buffer(cut), 1024))
        .isInstanceOf(BoundedBody.BadGzip.class);
  }
}
