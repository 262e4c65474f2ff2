package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up refusals: exposure without TLS and OIDC, and settings that only make sense together.
 */
class AccessChecksTest {
  @TempDir Path dir;

  JsonObject load(String... kv) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      env.put(kv[i], kv[i + 1]);
    }
    return ConfigLoader.load(null, env);
  }

  String[] tls() throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
    Path key = Files.writeString(dir.resolve("key.pem"), "x");
    return new String[] {
      "TRAINWATCH_HTTP_TLS_CERT", cert.toString(), "TRAINWATCH_HTTP_TLS_KEY", key.toString()
    };
  }

  static final String[] OIDC = {
    "TRAINWATCH_AUTH_MODE",
    "oidc",
    "GOOGLE_CLIENT_ID",
    "id.apps.example",
    "GOOGLE_CLIENT_SECRET",
    "s",
    "GOOGLE_ALLOWED_DOMAINS",
    "example.com",
    "TRAINWATCH_HTTP_PUBLIC_URL",
    "https://monitor.example.com"
  };

  static String[] concat(String[]... parts) {
    return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
  }

  @Test
  void loopbackNeedsNothing() {
    assertThatCode(() -> AccessChecks.exposure(load())).doesNotThrowAnyException();
    assertThatCode(() -> AccessChecks.exposure(load("TRAINWATCH_HTTP_HOST", "::1")))
        .doesNotThrowAnyException();
    assertThatCode(() -> AccessChecks.exposure(load("TRAINWATCH_HTTP_HOST", "127.0.0.2")))
        .doesNotThrowAnyException();
    assertThat(AccessChecks.isLoopback("[::1]")).isTrue();
    // A name is not an address, whatever it looks like.
    assertThat(AccessChecks.isLoopback("127.corp.example")).isFalse();
    assertThat(AccessChecks.isLoopback("::ffff:10.0.0.1")).isFalse();
  }

  @Test
  void exposureNeedsTlsAndOidcOrAnExplicitOverride() throws Exception {
    assertThatThrownBy(() -> AccessChecks.exposure(load("TRAINWATCH_HTTP_HOST", "0.0.0.0")))
        .hasMessageContaining("http.host")
        .hasMessageContaining("TLS")
        .hasMessageContaining("auth.mode=oidc")
        .hasMessageContaining("ingest.host");
    assertThatThrownBy(
            () ->
                AccessChecks.exposure(
                    load(concat(new String[] {"TRAINWATCH_HTTP_HOST", "10.0.0.5"}, tls()))))
        .hasMessageContaining("auth.mode=oidc")
        .hasMessageNotContaining("TLS (");
    assertThatThrownBy(
            () ->
                AccessChecks.exposure(
                    load(concat(new String[] {"TRAINWATCH_HTTP_HOST", "0.0.0.0"}, OIDC))))
        .hasMessageContaining("TLS");
    assertThatCode(
            () ->
                AccessChecks.exposure(
                    load(concat(new String[] {"TRAINWATCH_HTTP_HOST", "0.0.0.0"}, OIDC, tls()))))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                AccessChecks.exposure(
                    load(
                        "TRAINWATCH_HTTP_HOST",
                        "0.0.0.0",
                        "TRAINWATCH_HTTP_ALLOW_INSECURE_EXPOSURE",
                        "true")))
        .doesNotThrowAnyException();
  }

  @Test
  void settingsThatGoTogether() throws Exception {
    assertThatThrownBy(() -> load("TRAINWATCH_HTTP_TLS_CERT", tls()[1]))
        .hasMessageContaining("http.tls_key");
    assertThatThrownBy(() -> load("TRAINWATCH_AUTH_MODE", "oidc"))
        .hasMessageContaining("auth.oidc.client_id");
    assertThatThrownBy(
            () ->
                load(
                    "TRAINWATCH_AUTH_MODE",
                    "oidc",
                    "GOOGLE_CLIENT_ID",
                    "a",
                    "GOOGLE_CLIENT_SECRET",
                    "b",
                    "TRAINWATCH_HTTP_PUBLIC_URL",
                    "https://m.example"))
        .hasMessageContaining("nobody could sign in");
    assertThatThrownBy(
            () ->
                load(
                    "TRAINWATCH_AUTH_MODE",
                    "oidc",
                    "GOOGLE_CLIENT_ID",
                    "a",
                    "GOOGLE_CLIENT_SECRET",
                    "b",
                    "GOOGLE_ALLOWED_EMAILS",
                    "a@b.c"))
        .hasMessageContaining("http.public_url")
        .hasMessageContaining("redirect_url");
    assertThatThrownBy(() -> load("TRAINWATCH_INGEST_HOST", "0.0.0.0"))
        .hasMessageContaining("ingest.port");
    assertThat(
            load("TRAINWATCH_INGEST_HOST", "0.0.0.0", "TRAINWATCH_INGEST_PORT", "8081")
                .getJsonObject("ingest")
                .getInteger("port"))
        .isEqualTo(8081);
    assertThatThrownBy(() -> load("TRAINWATCH_AUTH_OIDC_ISSUER", "http://idp.example"))
        .hasMessageContaining("https");
    assertThatThrownBy(
            () ->
                load(
                    "TRAINWATCH_HTTP_TLS_CERT",
                    "/nonexistent.pem",
                    "TRAINWATCH_HTTP_TLS_KEY",
                    "/x"))
        .hasMessageContaining("readable");
  }

  @Test
  void seedVariableNamesStillWork() {
    JsonObject c = load(OIDC);
    assertThat(c.getJsonObject("auth").getJsonObject("oidc").getString("client_id"))
        .isEqualTo("id.apps.example");
    assertThat(
            c.getJsonObject("auth").getJsonObject("oidc").getJsonArray("allowed_domains").getList())
        .containsExactly("example.com");
  }
}
