package dev.trainwatch.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.Test;

class FailureCodeTest {

  @Test
  void everyCodeSurvivesTheBus() {
    for (FailureCode c : FailureCode.values()) {
      assertThat(FailureCode.of(c.exception("x"))).isEqualTo(c);
    }
  }

  @Test
  void missingOrSlowPeersAreUnavailableNotInternal() {
    assertThat(FailureCode.of(new ReplyException(ReplyFailure.NO_HANDLERS, "none"))).isEqualTo(FailureCode.UNAVAILABLE);
    assertThat(FailureCode.of(new ReplyException(ReplyFailure.TIMEOUT, "slow"))).isEqualTo(FailureCode.UNAVAILABLE);
    assertThat(FailureCode.of(new IllegalStateException())).isEqualTo(FailureCode.INTERNAL);
  }

  @Test
  void httpStatusesFollowTheContract() {
    assertThat(FailureCode.INVALID_JSON.httpStatus()).isEqualTo(400);
    assertThat(FailureCode.UNAUTHORIZED.httpStatus()).isEqualTo(401);
    assertThat(FailureCode.SERVER_DISABLED.httpStatus()).isEqualTo(403);
    assertThat(FailureCode.UNKNOWN_SERVER.httpStatus()).isEqualTo(404);
    assertThat(FailureCode.PAYLOAD_TOO_LARGE.httpStatus()).isEqualTo(413);
    assertThat(FailureCode.UNSUPPORTED_MEDIA_TYPE.httpStatus()).isEqualTo(415);
    assertThat(FailureCode.RATE_LIMITED.httpStatus()).isEqualTo(429);
    assertThat(FailureCode.UNAVAILABLE.httpStatus()).isEqualTo(503);
    assertThat(FailureCode.UNAVAILABLE.code()).isEqualTo("unavailable");
  }
}
