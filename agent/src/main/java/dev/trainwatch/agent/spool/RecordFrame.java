package dev.trainwatch.agent.spool;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * How one record sits in a spool segment: {@code magic u32 | length u32 | crc32c u32 | payload}.
 * The CRC covers the length and the payload, so a torn write (the process killed mid-record, a
 * power cut before the page cache reached the disk) or a flipped bit is found on reading, never
 * sent as garbage. Pure.
 */
public final class RecordFrame {
  /** "TWS1": Trainwatch spool, version 1. */
  static final int MAGIC = 0x54575331;

  static final int HEADER = 12;

  /** A compressed snapshot is a few KB; anything near this is damage, not data. */
  static final int MAX_PAYLOAD = 4 * 1024 * 1024;

  private RecordFrame() {}

  static ByteBuffer frame(byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length);
    b.putInt(MAGIC).putInt(payload.length).putInt(crc(payload.length, payload)).put(payload).flip();
    return b;
  }

  static int crc(int length, byte[] payload) {
    CRC32C c = new CRC32C();
    c.update(length >>> 24);
    c.update(length >>> 16);
    c.update(length >>> 8);
    c.update(length);
    c.update(payload);
    return (int) c.getValue();
  }
}
