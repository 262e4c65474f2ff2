package dev.trainwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.rates.RatesVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With no storage behind rates, ingest answers 503 with Retry-After: never a 500, never a 202. The
 * token check is answered by a registry consumer on the bus (the one part of storage still up in
 * this scenario).
 */
@ExtendWith(VertxExtension.class)
class StorageDownTest {

  @Test
  void answers503WithRetryAfter(Vertx vertx, VertxTestContext ctx) {
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.REGISTRY_AUTH,
            m -> m.reply(new JsonObject().put("slug", "alpha").put("outcome", "ok")));
    IngestVerticle ingest = new IngestVerticle();
    vertx
        .deployVerticle(
            new RatesVerticle(),
            new DeploymentOptions().setConfig(new JsonObject().put("store_timeout_ms", 500)))
        .compose(
            id ->
                vertx.deployVerticle(
                    ingest,
                    new DeploymentOptions()
                        .setConfig(new JsonObject().put("http", new JsonObject().put("port", 0)))))
        .compose(
            id ->
                WebClient.create(vertx)
                    .post(ingest.actualPort(), "127.0.0.1", "/api/ingest/servers/alpha/metrics/")
                    .putHeader("content-type", "application/json")
                    .putHeader("x-monitoring-token", "tw_x")
                    .sendBuffer(IngestTest.snapshot("boot", 1).toBuffer()))
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          IngestTest.assertError(r, 503, "unavailable", null);
                          assertThat(r.getHeader("retry-after")).isEqualTo("5");
                          ctx.completeNow();
                        })));
  }
}
