package dev.trainwatch.agent.send;

import dev.trainwatch.bus.raw.RawSnapshot;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A snapshot as the spool keeps it: its contract JSON (CONTRACT.md §1), deflated. Numbers-heavy
 * JSON shrinks about fivefold, which is what lets the default 64 MiB spool hold hours of an 8-GPU
 * host.
 *
 * <p>An instance keeps one zlib stream of each kind and resets it per use: a new {@code Deflater}
 * mallocs about 256 KB of native state, and one a second fragmented the agent's native heap. Not
 * thread-safe: one per thread that encodes or decodes (the sampling thread, the sender thread).
 */
public final class SnapshotPayload implements AutoCloseable {
  /** A snapshot's JSON is far below this; a payload inflating beyond it is damage, not data. */
  static final int MAX_JSON_BYTES = 8 * 1024 * 1024;

  private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
  private final Inflater inflater = new Inflater(true);
  private final byte[] buf = new byte[16384];

  public byte[] encode(RawSnapshot snapshot) {
    // Through a String, not toBuffer(): a Vert.x Buffer would load Netty's buffer classes into an
    // agent that otherwise never touches Netty.
    return deflate(snapshot.toJson().encode().getBytes(StandardCharsets.UTF_8));
  }

  /** A snapshot already in its contract JSON (tools that rewrite snapshots). */
  public byte[] deflate(byte[] json) {
    deflater.reset();
    deflater.setInput(json);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 3 + 64);
    while (!deflater.finished()) {
      out.write(buf, 0, deflater.deflate(buf));
    }
    return out.toByteArray();
  }

  /** The JSON bytes back. */
  public byte[] json(byte[] payload) throws DataFormatException {
    inflater.reset();
    inflater.setInput(payload);
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length * 5 + 64);
    while (!inflater.finished()) {
      int n = inflater.inflate(buf);
      if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
        throw new DataFormatException("truncated payload");
      }
      out.write(buf, 0, n);
      if (out.size() > MAX_JSON_BYTES) {
        throw new DataFormatException("payload inflates past " + MAX_JSON_BYTES + " bytes");
      }
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    deflater.end();
    inflater.end();
  }
}
