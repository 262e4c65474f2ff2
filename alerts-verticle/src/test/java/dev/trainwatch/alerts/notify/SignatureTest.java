package dev.trainwatch.alerts.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SignatureTest {
  @Test
  void matchesPublishedHmacSha256Vectors() {
    // RFC 4231, test case 2.
    assertThat(
            Signature.of("what do ya want for nothing?".getBytes(StandardCharsets.UTF_8), "Jefe"))
        .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    // The example in docs/alerts.md, as `printf '{"event":"firing"}' | openssl dgst -sha256 -hmac
    // 0123456789abcdef`
    // prints it.
    assertThat(
            Signature.of(
                "{\"event\":\"firing\"}".getBytes(StandardCharsets.UTF_8), "0123456789abcdef"))
        .isEqualTo("sha256=53f71efba79246138236a05b85d2e4f14b4324e139cf3beb8951023af9428b78");
  }
}
