package dev.trainwatch.ingest;

import dev.trainwatch.bus.Addresses;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * Ingest on its own listener with every token accepted and no storage behind it: for tests of what
 * must be refused before storage. A body that got through would be a 503, which those tests count
 * as the failure it is.
 */
final class StubbedIngest {
  private StubbedIngest() {}

  static IngestVerticle deploy(Vertx vertx, JsonObject extra) throws Exception {
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.REGISTRY_AUTH,
            m ->
                m.reply(
                    new JsonObject().put("slug", m.body().getString("slug")).put("outcome", "ok")));
    IngestVerticle ingest = new IngestVerticle();
    vertx
        .deployVerticle(
            ingest,
            new DeploymentOptions()
                .setConfig(
                    new JsonObject()
                        .put("http", new JsonObject().put("port", 0))
                        .put("store_timeout_ms", 500)
                        .mergeIn(extra)))
        .await(10, TimeUnit.SECONDS);
    return ingest;
  }

  static String head(String path, long contentLength, String... headers) {
    StringBuilder b =
        new StringBuilder(
            "POST "
                + path
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nX-Monitoring-Token: tw_test\r\nContent-Length: "
                + contentLength
                + "\r\n");
    for (String h : headers) {
      b.append(h).append("\r\n");
    }
    return b.append("\r\n").toString();
  }
}
