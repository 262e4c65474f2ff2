package dev.trainwatch.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailureCodeTest {

  @Test
  void everyCodeSurvivesTheBus() {
    for (FailureCode c : FailureCode.values()) {
      assertThat(FailureCode.of(c.exception("x"))).isEqualTo(c);
    }
  }

  /**
   * The wire codes as released, written out: a node of this build and one of the last must agree on
   * every number (a reordered or inserted constant must not move one). A new code is added here
   * with a new number.
   */
  @Test
  void busCodesArePinned() {
    Map<FailureCode, Integer> released = new LinkedHashMap<>();
    released.put(FailureCode.INVALID_JSON, 1000);
    released.put(FailureCode.INVALID_PAYLOAD, 1001);
    released.put(FailureCode.INVALID_QUERY, 1002);
    released.put(FailureCode.UNAUTHORIZED, 1003);
    released.put(FailureCode.SERVER_DISABLED, 1004);
    released.put(FailureCode.UNKNOWN_SERVER, 1005);
    released.put(FailureCode.NO_DATA, 1006);
    released.put(FailureCode.NOT_FOUND, 1007);
    released.put(FailureCode.PAYLOAD_TOO_LARGE, 1008);
    released.put(FailureCode.UNSUPPORTED_MEDIA_TYPE, 1009);
    released.put(FailureCode.RATE_LIMITED, 1010);
    released.put(FailureCode.UNAVAILABLE, 1011);
    released.put(FailureCode.INTERNAL, 1012);
    released.put(FailureCode.FORBIDDEN, 1013);
    released.put(FailureCode.CONFLICT, 1014);
    released.put(FailureCode.METHOD_NOT_ALLOWED, 1015);
    released.put(FailureCode.REQUEST_TIMEOUT, 1016);
    assertThat(released.keySet())
        .as("every code has its number here")
        .containsExactlyInAnyOrder(FailureCode.values());
    released.forEach(
        (c, n) -> {
          assertThat(c.busCode()).as(c.name()).isEqualTo(n);
          assertThat(FailureCode.of(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, n, "x")))
              .isEqualTo(c);
        });
    assertThat(
            FailureCode.of(
                new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 1017, "a newer node's code")))
        .isEqualTo(FailureCode.INTERNAL);
  }

  @Test
  void missingOrSlowPeersAreUnavailableNotInternal() {
    assertThat(FailureCode.of(new ReplyException(ReplyFailure.NO_HANDLERS, "none")))
        .isEqualTo(FailureCode.UNAVAILABLE);
    assertThat(FailureCode.of(new ReplyException(ReplyFailure.TIMEOUT, "slow")))
        .isEqualTo(FailureCode.UNAVAILABLE);
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
