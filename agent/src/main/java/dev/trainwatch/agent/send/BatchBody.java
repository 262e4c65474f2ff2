package dev.trainwatch.agent.send;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPOutputStream;

/**
 * One ingest request body, {@code {"snapshots": [...]}} gzipped (CONTRACT.md §1), from spooled
 * payloads taken oldest first while the uncompressed body stays under the server's limit (it counts
 * after decompression). Pure.
 *
 * @param gzip the request body
 * @param records how many of the given payloads it holds (a prefix; the anchor not counted)
 * @param anchored whether the anchor went first
 * @param undecodable how many of that prefix could not be inflated and were left out (damage); they
 *     count as sent
 */
public record BatchBody(
    byte[] gzip, int records, boolean anchored, int undecodable, int jsonBytes) {
  /**
   * The server's default {@code ingest.max_body_bytes} is 1 MiB; the envelope and commas fit in
   * what is left.
   */
  public static final int MAX_JSON_BYTES = 1_000_000;

  /** CONTRACT.md §1: at most 1,000 snapshots per request. */
  public static final int MAX_SNAPSHOTS = 1000;

  private static final byte[] OPEN = "{\"snapshots\":[".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CLOSE = "]}".getBytes(StandardCharsets.US_ASCII);

  /**
   * @param codec this thread's (payloads are inflated into the body)
   * @param anchor the last acknowledged snapshot's payload, sent first so the server's rates have a
   *     predecessor after it restarted (it answers it as a duplicate), or null
   * @param payloads spooled payloads, oldest first; at least the first is always taken, even over
   *     the limit (the server then answers 413 and it is dropped rather than blocking the spool)
   */
  public static BatchBody build(
      SnapshotPayload codec, byte[] anchor, List<byte[]> payloads, int maxJsonBytes) {
    List<byte[]> parts = new ArrayList<>();
    int size = OPEN.length + CLOSE.length;
    int taken = 0;
    int undecodable = 0;
    boolean anchored = false;
    if (anchor != null) {
      byte[] a = jsonOrNull(codec, anchor);
      if (a != null && size + a.length + 1 <= maxJsonBytes / 2) {
        parts.add(a);
        size += a.length + 1;
        anchored = true;
      }
    }
    for (byte[] p : payloads) {
      if (parts.size() >= MAX_SNAPSHOTS) {
        break;
      }
      byte[] json = jsonOrNull(codec, p);
      if (json == null) {
        taken++;
        undecodable++;
        continue;
      }
      if (taken > undecodable && size + json.length + 1 > maxJsonBytes) {
        break;
      }
      parts.add(json);
      size += json.length + 1;
      taken++;
    }
    return new BatchBody(gzip(parts), taken, anchored, undecodable, size);
  }

  /** How many snapshots the body carries, the anchor included. */
  public int snapshots() {
    return records - undecodable + (anchored ? 1 : 0);
  }

  private static byte[] jsonOrNull(SnapshotPayload codec, byte[] payload) {
    try {
      return codec.json(payload);
    } catch (DataFormatException e) {
      return null;
    }
  }

  private static byte[] gzip(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
      gz.write(OPEN);
      for (int i = 0; i < parts.size(); i++) {
        if (i > 0) {
          gz.write(',');
        }
        gz.write(parts.get(i));
      }
      gz.write(CLOSE);
    } catch (IOException e) {
      throw new IllegalStateException("gzip into memory cannot fail", e);
    }
    return out.toByteArray();
  }
}
