package dev.trainwatch.bus;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.Set;

/**
 * Server TLS for our HTTP edges (gateway, ingest) from PEM files ({@code http.tls_cert}, {@code
 * http.tls_key}): TLS 1.2 and 1.3 only (RFC 8996).
 */
public final class Tls {
  private Tls() {}

  public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  /** Turns TLS on in {@code opts} when {@code http} names a certificate; returns whether it did. */
  public static boolean apply(HttpServerOptions opts, JsonObject http) {
    String cert = http.getString("tls_cert");
    if (cert == null) {
      return false;
    }
    opts.setSsl(true)
        .setKeyCertOptions(
            new PemKeyCertOptions().setCertPath(cert).setKeyPath(http.getString("tls_key")))
        .setEnabledSecureTransportProtocols(PROTOCOLS);
    return true;
  }
}
