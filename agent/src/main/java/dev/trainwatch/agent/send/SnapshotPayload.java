package dev.trainwatch.agent.send;

import dev.trainwatch.bus.raw.RawSnapshot;
import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A snapshot as the spool keeps it: its contract JSON (CONTRACT.md §1), deflated. Numbers-heavy JSON shrinks about
 * fourfold, which is what lets the default 64 MiB spool hold hours of an 8-GPU host. Pure.
 */
public final class SnapshotPayload {
  /** A snapshot's JSON is far below this; a payload inflating beyond it is damage, not data. */
  static final int MAX_JSON_BYTES = 8 * 1024 * 1024;

  private SnapshotPayload() {}

  public static byte[] encode(RawSnapshot snapshot) {
    return deflate(snapshot.toJson().toBuffer().getBytes());
  }

  static byte[] deflate(byte[] json) {
    Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try {
      d.setInput(json);
      d.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 3 + 64);
      byte[] buf = new byte[8192];
      while (!d.finished()) {
        out.write(buf, 0, d.deflate(buf));
      }
      return out.toByteArray();
    } finally {
      d.end();
    }
  }

  /** The JSON bytes back. */
  public static byte[] json(byte[] payload) throws DataFormatException {
    Inflater i = new Inflater(true);
    try {
      i.setInput(payload);
      ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length * 4 + 64);
      byte[] buf = new byte[16384];
      while (!i.finished()) {
        int n = i.inflate(buf);
        if (n == 0 && (i.needsInput() || i.needsDictionary())) {
          throw new DataFormatException("truncated payload");
        }
        out.write(buf, 0, n);
        if (out.size() > MAX_JSON_BYTES) {
          throw new DataFormatException("payload inflates past " + MAX_JSON_BYTES + " bytes");
        }
      }
      return out.toByteArray();
    } finally {
      i.end();
    }
  }
}
