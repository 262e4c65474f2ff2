package dev.trainwatch.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.trainwatch.bus.InvalidPayloadException;

/**
 * The WebSocket message reader under Jazzer: replays the committed corpus in `scripts/test`, fuzzes
 * with {@code JAZZER_FUZZ=1}. A message is a request or a client error naming the field, nothing
 * else.
 */
class WsRequestFuzzTest {
  @FuzzTest(maxDuration = "2m")
  void parseThrowsOnlyClientErrors(String text) {
    WsRequest r;
    try {
      r = WsRequest.parse(text);
    } catch (WsRequest.NotJson | InvalidPayloadException expected) {
      return;
    }
    assertThat(r.server()).isNotEmpty().hasSizeLessThanOrEqualTo(64);
    assertThat(r.channels())
        .isNotEmpty()
        .hasSizeLessThanOrEqualTo(WsRequest.MAX_CHANNELS_PER_MESSAGE)
        .allMatch(Channels::isSubscribable);
  }
}
