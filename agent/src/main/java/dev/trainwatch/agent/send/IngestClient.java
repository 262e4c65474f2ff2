package dev.trainwatch.agent.send;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * POSTs gzipped batches to {@code <host>/api/ingest/servers/<slug>/metrics/} and turns whatever
 * happens into an {@link Outcome}: never a failed future. One pooled keep-alive connection; {@code
 * --timeout} bounds the connect and every wait for the server's next bytes.
 */
public final class IngestClient {
  private static final int MAX_ERROR_BODY = 4096;

  private final HttpClientAgent http;
  private final String url;

  /**
   * Parsed once: building options parses the URL and checks every header, per request otherwise.
   */
  private final RequestOptions request;

  /**
   * @param host the dashboard's base URL, {@code http} or {@code https}, optionally with a path
   *     prefix
   * @param insecure trust any certificate and skip host-name verification
   */
  public IngestClient(
      Vertx vertx,
      URI host,
      String slug,
      String token,
      long timeoutMs,
      boolean insecure,
      String userAgent) {
    this.url = ingestUrl(host, slug);
    this.request =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(url)
            .setConnectTimeout(timeoutMs)
            .setIdleTimeout(timeoutMs)
            .putHeader("content-type", "application/json")
            .putHeader("content-encoding", "gzip")
            .putHeader("x-monitoring-token", token)
            .putHeader("user-agent", userAgent);
    HttpClientOptions o =
        new HttpClientOptions()
            .setSsl("https".equalsIgnoreCase(host.getScheme()))
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
            .setKeepAlive(true)
            .setTcpKeepAlive(true)
            .setDecompressionSupported(false);
    if (insecure) {
      o.setTrustAll(true).setVerifyHost(false);
    }
    this.http = vertx.createHttpClient(o, new PoolOptions().setHttp1MaxSize(1));
  }

  /** {@code <host>/api/ingest/servers/<slug>/metrics/}, keeping a reverse proxy's path prefix. */
  public static String ingestUrl(URI host, String slug) {
    String base = host.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + "/api/ingest/servers/" + slug + "/metrics/";
  }

  public String url() {
    return url;
  }

  public Future<Outcome> post(byte[] gzipBody) {
    return http.request(new RequestOptions(request))
        .compose(req -> req.send(Buffer.buffer(gzipBody)))
        .compose(this::read)
        .otherwise(IngestClient::network);
  }

  private Future<Outcome> read(HttpClientResponse resp) {
    int status = resp.statusCode();
    long retryAfter = RetryAfter.parseMs(resp.getHeader("retry-after"), Instant.now());
    return resp.body()
        .map(
            body -> {
              if (status == 202) {
                JsonObject counts = parseOrNull(body);
                return Outcome.accepted(
                    counts == null ? 0 : counts.getInteger("accepted", 0),
                    counts == null ? 0 : counts.getInteger("duplicates", 0));
              }
              String detail;
              if (status >= 300 && status < 400) {
                detail = "redirected to " + resp.getHeader("location") + ": use that URL as --host";
              } else {
                detail = errorDetail(body);
              }
              return Outcome.failed(Problem.ofStatus(status), status, retryAfter, detail);
            });
  }

  /**
   * The contract's {@code error.code: message (field)}, or the start of whatever else came back.
   */
  static String errorDetail(Buffer body) {
    JsonObject o = body.length() <= MAX_ERROR_BODY ? parseOrNull(body) : null;
    JsonObject e = o == null ? null : o.getJsonObject("error");
    if (e != null) {
      String field = e.getString("field");
      return e.getString("code")
          + ": "
          + e.getString("message")
          + (field == null ? "" : " (field " + field + ")");
    }
    String text = body.length() > 200 ? body.getString(0, 200) + "…" : body.toString();
    return text.isBlank() ? "no body" : "unexpected body: " + text.replaceAll("\\s+", " ");
  }

  private static JsonObject parseOrNull(Buffer body) {
    try {
      Object v = Json.decodeValue(body);
      return v instanceof JsonObject o ? o : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** A failure before any status: the connection, TLS, or a timeout. */
  static Outcome network(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return Outcome.failed(Problem.TLS, 0, -1, describe(t));
      }
      if (t instanceof ConnectTimeoutException || t instanceof TimeoutException) {
        return Outcome.failed(Problem.TIMEOUT, 0, -1, describe(t));
      }
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException) {
        return Outcome.failed(Problem.UNREACHABLE, 0, -1, describe(t));
      }
    }
    // Closed connections, resets: the network, so retried.
    return Outcome.failed(Problem.UNREACHABLE, 0, -1, describe(e));
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  public Future<Void> close() {
    return http.close();
  }
}
