package dev.trainwatch.alerts.notify;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * POSTs the alert as JSON, signed with the shared secret. A 2xx is success; anything else (a
 * redirect included: we never follow one with a signed body) is a failed attempt.
 */
public final class WebhookChannel implements Channel {
  public enum Format {
    TRAINWATCH,
    SLACK
  }

  private final HttpClient client;
  private final String url;
  private final String secret;
  private final Format format;
  private final long timeoutMs;

  public WebhookChannel(Vertx vertx, String url, String secret, Format format, long timeoutMs) {
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout((int) Math.min(timeoutMs, 30_000))
                .setIdleTimeout(60)
                .setKeepAlive(true));
    this.url = url;
    this.secret = secret;
    this.format = format;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public String name() {
    return "webhook";
  }

  @Override
  public String payload(Notice notice) {
    return (format == Format.SLACK
            ? Payloads.slack(notice)
            : Payloads.trainwatch(notice, Instant.now()))
        .encode();
  }

  @Override
  public Future<Void> send(Notice notice, String payload) {
    byte[] body = payload.getBytes(StandardCharsets.UTF_8);
    RequestOptions req =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(url)
            .setTimeout(timeoutMs)
            .setFollowRedirects(false)
            .putHeader("content-type", "application/json")
            .putHeader("user-agent", "trainwatch-alerts")
            .putHeader("X-Trainwatch-Delivery", notice.deliveryId());
    if (secret != null) {
      req.putHeader(Signature.HEADER, Signature.of(body, secret));
    }
    return client
        .request(req)
        .compose(r -> r.send(Buffer.buffer(body)))
        .compose(
            resp -> {
              int status = resp.statusCode();
              return resp.end()
                  .compose(
                      v ->
                          status / 100 == 2
                              ? Future.<Void>succeededFuture()
                              : Future.failedFuture("webhook answered HTTP " + status));
            });
  }

  public Future<Void> close() {
    return client.close();
  }
}
