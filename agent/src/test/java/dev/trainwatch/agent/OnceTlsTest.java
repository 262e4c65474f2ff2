package dev.trainwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code --once} against a real HTTPS server whose certificate no one trusts: refused, unless
 * {@code --insecure}.
 */
@ExtendWith(VertxExtension.class)
class OnceTlsTest {
  @Test
  void anUntrustedCertificateIsATlsFailureAndInsecureSkipsTheCheck(
      Vertx vertx, VertxTestContext ctx) throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    HttpServer server =
        vertx
            .createHttpServer(
                new HttpServerOptions().setSsl(true).setKeyCertOptions(cert.keyCertOptions()))
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            b ->
                                req.response()
                                    .setStatusCode(202)
                                    .putHeader("content-type", "application/json")
                                    .end("{\"accepted\":2,\"duplicates\":0}")))
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    String url = "https://localhost:" + server.actualPort();
    OnceCapture strict =
        OnceCapture.run("--once", "--host", url, "--server-slug", "tls-box", "--token", "t");
    OnceCapture insecure =
        OnceCapture.run(
            "--once", "--insecure", "--host", url, "--server-slug", "tls-box", "--token", "t");
    ctx.verify(
        () -> {
          assertThat(strict.code()).as(strict.out()).isEqualTo(6);
          assertThat(strict.out()).contains("TLS handshake failed");
          assertThat(insecure.code()).as(insecure.out()).isZero();
          assertThat(insecure.out()).contains("--insecure").contains("202 accepted 2");
        });
    cert.delete();
    ctx.completeNow();
  }
}
