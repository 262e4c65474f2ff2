package dev.trainwatch.agent.send;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

/**
 * POSTs gzipped batches to {@code <host>/api/ingest/servers/<slug>/metrics/} and turns whatever
 * happens into an {@link Outcome}: it never throws. Blocking, on the calling thread, through the
 * JDK's {@link HttpURLConnection}: an agent that sends one request a second gains nothing from an
 * event loop, and this client loads a fraction of the classes of Vert.x's or the JDK's {@code
 * HttpClient} (docs/benchmarks.md, "Agent": the difference is most of the agent's memory budget).
 * The JDK keeps the connection alive between requests once each answer is read to its end. {@code
 * --timeout} bounds the connect and every wait for the server's next bytes.
 */
public final class IngestClient {
  /** Error answers are read this far for their message; the rest is not worth the wait. */
  static final int MAX_ANSWER_BYTES = 64 * 1024;

  private static final int MAX_ERROR_JSON = 4096;

  private final URL url;
  private final int timeoutMs;
  private final String token;
  private final String userAgent;

  /** Trusts any certificate under {@code --insecure}, else null (the JDK's trust store). */
  private final SSLSocketFactory insecureSockets;

  /**
   * @param host the dashboard's base URL, {@code http} or {@code https}, optionally with a path
   *     prefix
   * @param insecure trust any certificate and skip host-name verification
   */
  public IngestClient(
      URI host, String slug, String token, long timeoutMs, boolean insecure, String userAgent) {
    try {
      this.url = URI.create(ingestUrl(host, slug)).toURL();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not an http(s) URL: " + host, e);
    }
    this.timeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeoutMs));
    this.token = token;
    this.userAgent = userAgent;
    this.insecureSockets = insecure ? TrustAnyCertificate.sockets() : null;
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
    return url.toString();
  }

  /** Blocks for at most about two {@code --timeout}s (the connect, then the answer). */
  public Outcome post(byte[] gzipBody) {
    HttpURLConnection c = null;
    try {
      c = (HttpURLConnection) url.openConnection();
      if (insecureSockets != null && c instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(insecureSockets);
        https.setHostnameVerifier((hostname, session) -> true);
      }
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setUseCaches(false);
      c.setInstanceFollowRedirects(false);
      c.setConnectTimeout(timeoutMs);
      c.setReadTimeout(timeoutMs);
      // Not in streaming mode: streamed, a 401's body is thrown away unread (the JDK wants to
      // resend with credentials and cannot), and a POST that meets a connection the server has
      // just closed is not retried. Buffered, both work; the copy is of a body of at most 1 MB.
      c.setRequestProperty("Content-Type", "application/json");
      c.setRequestProperty("Content-Encoding", "gzip");
      c.setRequestProperty("X-Monitoring-Token", token);
      c.setRequestProperty("User-Agent", userAgent);
      try (OutputStream out = c.getOutputStream()) {
        out.write(gzipBody);
      }
      int status = c.getResponseCode();
      long retryAfter = RetryAfter.parseMs(c.getHeaderField("Retry-After"), Instant.now());
      String location = c.getHeaderField("Location");
      byte[] answer = readAnswer(c, status);
      if (status == 202) {
        JsonObject counts = parseOrNull(answer);
        return Outcome.accepted(
            counts == null ? 0 : counts.getInteger("accepted", 0),
            counts == null ? 0 : counts.getInteger("duplicates", 0));
      }
      String detail =
          status >= 300 && status < 400
              ? "redirected to " + location + ": use that URL as --host"
              : errorDetail(answer);
      return Outcome.failed(Problem.ofStatus(status), status, retryAfter, detail);
    } catch (IOException | RuntimeException e) {
      if (c != null) {
        c.disconnect(); // a half-used connection must not go back to the keep-alive cache
      }
      return network(e);
    }
  }

  /**
   * The answer's body, at most {@link #MAX_ANSWER_BYTES}. Read to its end, the connection goes back
   * to the keep-alive cache; a longer one is cut and its connection closed.
   */
  private static byte[] readAnswer(HttpURLConnection c, int status) throws IOException {
    InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
    if (in == null) {
      return new byte[0];
    }
    try (in) {
      byte[] body = in.readNBytes(MAX_ANSWER_BYTES);
      if (in.read() >= 0) {
        c.disconnect();
      }
      return body;
    }
  }

  /**
   * The contract's {@code error.code: message (field)}, or the start of whatever else came back.
   */
  static String errorDetail(byte[] body) {
    JsonObject o = body.length <= MAX_ERROR_JSON ? parseOrNull(body) : null;
    Object e = o == null ? null : o.getValue("error");
    if (e instanceof JsonObject error) {
      String field = error.getString("field");
      return error.getString("code")
          + ": "
          + error.getString("message")
          + (field == null ? "" : " (field " + field + ")");
    }
    String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
    if (body.length > 200) {
      text += "…";
    }
    return text.isBlank() ? "no body" : "unexpected body: " + text.replaceAll("\\s+", " ");
  }

  private static JsonObject parseOrNull(byte[] body) {
    try {
      return new JsonObject(new String(body, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return null; // not JSON, or JSON but not an object
    }
  }

  /** A failure before any status: the connection, TLS, or a timeout. */
  static Outcome network(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return Outcome.failed(Problem.TLS, 0, -1, describe(t));
      }
      if (t instanceof SocketTimeoutException) {
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
}
