package dev.trainwatch.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.Tokens;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13: with every connection of the dashboards' query pool taken (a burst of history queries),
 * an agent's token check and an API-token check still answer at once: they have a pool of their
 * own.
 */
@ExtendWith(VertxExtension.class)
class AuthPoolTest extends WithEmbeddedPg {
  @Test
  void tokenChecksDoNotWaitBehindDashboardQueries(Vertx vertx) throws Exception {
    HistoryVerticle h = new HistoryVerticle();
    vertx
        .deployVerticle(h, new DeploymentOptions().setConfig(historyConfig().put("pool_size", 2)))
        .await(60, TimeUnit.SECONDS);
    List<SqlConnection> held = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      held.add(h.queryPool().getConnection().await(10, TimeUnit.SECONDS));
    }
    try {
      DeliveryOptions quick = new DeliveryOptions().setSendTimeout(2_000);
      JsonObject agent =
          vertx
              .eventBus()
              .<JsonObject>request(
                  Addresses.REGISTRY_AUTH,
                  new JsonObject().put("slug", "nobody").put("token_sha256", Tokens.sha256Hex("x")),
                  quick)
              .await(5, TimeUnit.SECONDS)
              .body();
      assertThat(agent.getString("outcome")).isEqualTo("unknown");
      JsonObject api =
          vertx
              .eventBus()
              .<JsonObject>request(
                  Addresses.ACCESS_TOKEN_CHECK,
                  new JsonObject().put("token_sha256", Tokens.sha256Hex("twa_00000000_x")),
                  quick)
              .await(5, TimeUnit.SECONDS)
              .body();
      assertThat(api.getString("outcome")).isEqualTo("unknown");
    } finally {
      for (SqlConnection c : held) {
        c.close().await(5, TimeUnit.SECONDS);
      }
    }
  }
}
