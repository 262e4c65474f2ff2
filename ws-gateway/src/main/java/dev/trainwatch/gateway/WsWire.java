package dev.trainwatch.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * Server-to-client WebSocket text frames (RFC 6455 §5.2: FIN, opcode 1, unmasked) encoded once,
 * header included, so that a thousand subscribers share one buffer and Netty's frame encoder, which
 * passes plain buffers through, does no per-socket work.
 */
final class WsWire {
  private WsWire() {}

  private static final int FIN_TEXT = 0x81;

  /** The whole frame for one UTF-8 text message. */
  static ByteBuf text(String message) {
    byte[] payload = message.getBytes(StandardCharsets.UTF_8);
    int n = payload.length;
    ByteBuf b = Unpooled.buffer(headerLength(n) + n);
    b.writeByte(FIN_TEXT);
    if (n < 126) {
      b.writeByte(n);
    } else if (n <= 0xFFFF) {
      b.writeByte(126).writeShort(n);
    } else {
      b.writeByte(127).writeLong(n);
    }
    return b.writeBytes(payload);
  }

  /** The message carried by a frame made by {@link #text}. */
  static String payload(ByteBuf frame) {
    int len7 = frame.getByte(frame.readerIndex() + 1) & 0x7F;
    int header = len7 < 126 ? 2 : len7 == 126 ? 4 : 10;
    return frame.toString(
        frame.readerIndex() + header, frame.readableBytes() - header, StandardCharsets.UTF_8);
  }

  private static int headerLength(int payloadLength) {
    return payloadLength < 126 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
  }
}
