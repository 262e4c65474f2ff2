package dev.trainwatch.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.concurrent.TimeUnit;

/**
 * A clustered Vert.x on Hazelcast with explicit TCP/IP members (no multicast: data-centre networks drop it), bound
 * to {@code cluster.host} so the result does not depend on how the host name resolves.
 */
final class ClusterSetup {
  private ClusterSetup() {}

  static Vertx clusteredVertx(JsonObject c, io.vertx.core.VertxBuilder builder) throws Exception {
    Config cfg = ConfigUtil.loadConfig();
    cfg.setClusterName(c.getString("name"));
    cfg.setProperty("hazelcast.phone.home.enabled", "false");
    cfg.setProperty("hazelcast.shutdownhook.enabled", "false");
    cfg.setProperty("hazelcast.local.localAddress", c.getString("host"));
    cfg.setProperty("hazelcast.socket.bind.any", "false");
    cfg.setProperty("hazelcast.wait.seconds.before.join", "0");
    cfg.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    cfg.setProperty("hazelcast.logging.type", "slf4j");
    NetworkConfig net = cfg.getNetworkConfig();
    net.setPort(c.getInteger("port")).setPortAutoIncrement(true).setPortCount(20);
    net.getInterfaces().setEnabled(true).addInterface(c.getString("host"));
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    var tcp = join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
    c.getJsonArray("members").forEach(m -> tcp.addMember((String) m));
    return builder
        .with(SelfMetrics.options().setEventBusOptions(new EventBusOptions().setHost(c.getString("host")).setPort(0)
            .setClusterPublicHost(c.getString("host"))))
        .withClusterManager(new HazelcastClusterManager(cfg))
        .buildClustered().await(60, TimeUnit.SECONDS);
  }
}
