package dev.trainwatch.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WsWireTest {
  /**
   * Each length class of RFC 6455's header (7-bit, 16-bit, 64-bit), at and around its boundaries.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 125, 126, 127, 65_535, 65_536, 200_000})
  void framesAreWhatNettysOwnEncoderWritesAndDecodeBack(int length) {
    String message = "é".repeat(length / 2) + "x".repeat(length % 2);
    ByteBuf ours = WsWire.text(message);

    EmbeddedChannel encoder = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
    encoder.writeOutbound(new TextWebSocketFrame(message));
    ByteBuf netty = Unpooled.buffer();
    for (ByteBuf part; (part = encoder.readOutbound()) != null; part.release()) {
      netty.writeBytes(part);
    }
    assertThat(ByteBufUtil.hexDump(ours)).isEqualTo(ByteBufUtil.hexDump(netty));

    EmbeddedChannel decoder =
        new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 20, true));
    decoder.writeInbound(ours.retainedDuplicate());
    TextWebSocketFrame back = decoder.readInbound();
    assertThat(back.text()).isEqualTo(message);
    assertThat(WsWire.payload(ours)).isEqualTo(message);
    back.release();
    ours.release();
    netty.release();
  }
}
