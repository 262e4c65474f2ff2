package dev.trainwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code --once} against a real HTTPS server whose certificate no one trusts: refused, unless {@code --insecure}. */
@ExtendWith(VertxExtension.class)
class OnceTlsTest {

  private static String[] run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true));
    System.setErr(new PrintStream(buf, true));
    try {
      return new String[] {Integer.toString(AgentMain.execute(args)), buf.toString()};
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void anUntrustedCertificateIsATlsFailureAndInsecureSkipsTheCheck(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
            .setKeyCertOptions(cert.keyCertOptions()))
        .requestHandler(req -> req.body().onSuccess(b -> req.response().setStatusCode(202)
            .putHeader("content-type", "application/json").end("{\"accepted\":2,\"duplicates\":0}")))
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    String url = "https://localhost:" + server.actualPort();
    String[] strict = run("--once", "--host", url, "--server-slug", "tls-box", "--token", "t");
    String[] insecure = run("--once", "--insecure", "--host", url, "--server-slug", "tls-box", "--token", "t");
    ctx.verify(() -> {
      assertThat(strict[0]).as(strict[1]).isEqualTo("6");
      assertThat(strict[1]).contains("TLS handshake failed");
      assertThat(insecure[0]).as(insecure[1]).isEqualTo("0");
      assertThat(insecure[1]).contains("--insecure").contains("202 accepted 2");
    });
    cert.delete();
    ctx.completeNow();
  }
}
