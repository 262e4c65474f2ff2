package dev.trainwatch.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * A clustered Vert.x on Hazelcast with explicit TCP/IP members (no multicast: data-centre networks
 * drop it), bound to {@code cluster.host} so the result does not depend on how the host name
 * resolves.
 *
 * <p>With {@code cluster.tls}, the event bus (every message between nodes) is mutual TLS against
 * the cluster's own CA. Hazelcast's open-source edition has no TLS or member authentication; what
 * it carries is membership and the subscription map, not messages. A host that joins it without a
 * credential from the CA can publish subscriptions, but every node of ours ignores them ({@link
 * TrustedClusterManager}); it can neither receive a message (senders refuse its certificate) nor
 * send one (receivers require a certificate from the CA); the cluster name is keyed by the CA so a
 * node configured with another CA does not even join; and {@code cluster.host} should be a private
 * interface (docs/deployment.md). Without TLS only loopback is allowed, unless {@code
 * cluster.allow_insecure} says otherwise.
 */
final class ClusterSetup {
  private ClusterSetup() {}

  static Vertx clusteredVertx(JsonObject c, VertxBuilder builder) throws Exception {
    boolean secured = checkTls(c);
    return join(
        c,
        secured
            ? c.getString("name") + "-" + caDigest(c.getJsonObject("tls").getString("ca"))
            : c.getString("name"),
        builder);
  }

  /**
   * Joins Hazelcast cluster {@code clusterName}, the bus over TLS when {@code c} has a certificate
   * (tests make an intruder with it that knows our keyed name).
   */
  static Vertx join(JsonObject c, String clusterName, VertxBuilder builder) throws Exception {
    JsonObject tls = c.getJsonObject("tls");
    Config cfg = ConfigUtil.loadConfig();
    cfg.setClusterName(clusterName);
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
    EventBusOptions bus =
        new EventBusOptions()
            .setHost(c.getString("host"))
            .setPort(0)
            .setClusterPublicHost(c.getString("host"));
    ClusterManager manager = new HazelcastClusterManager(cfg);
    if (tls.getString("cert") != null) {
      manager =
          new TrustedClusterManager(
              manager,
              NodeCredential.load(Path.of(tls.getString("cert")), Path.of(tls.getString("key"))),
              NodeCredential.certificate(Path.of(tls.getString("ca"))));
      bus.setSsl(true)
          .setClientAuth(ClientAuth.REQUIRED)
          .setKeyCertOptions(
              new PemKeyCertOptions()
                  .setCertPath(tls.getString("cert"))
                  .setKeyPath(tls.getString("key")))
          .setTrustOptions(new PemTrustOptions().addCertPath(tls.getString("ca")));
    }
    return builder
        .with(SelfMetrics.options().setEventBusOptions(bus))
        .withClusterManager(manager)
        .buildClustered()
        .await(60, TimeUnit.SECONDS);
  }

  /**
   * Whether the bus is to be TLS; refuses half a TLS setting, and a plain bus off loopback unless
   * allowed.
   */
  static boolean checkTls(JsonObject c) throws UnknownHostException {
    JsonObject tls = c.getJsonObject("tls");
    int set =
        (tls.getString("cert") != null ? 1 : 0)
            + (tls.getString("key") != null ? 1 : 0)
            + (tls.getString("ca") != null ? 1 : 0);
    if (set != 0 && set != 3) {
      throw new ConfigException("cluster.tls", "needs all of cert, key and ca, or none");
    }
    if (set == 0
        && !InetAddress.getByName(c.getString("host")).isLoopbackAddress()
        && !c.getBoolean("allow_insecure")) {
      throw new ConfigException(
          "cluster.tls",
          "is required for a cluster on "
              + c.getString("host")
              + " (not loopback): without it anyone who reaches the bus can send and answer any message. Make certificates "
              + "with scripts/cluster-certs, or set cluster.allow_insecure=true on a network only the nodes can reach");
    }
    return set == 3;
  }

  /** The first 48 bits of the CA certificate's SHA-256, in hex: part of the cluster name. */
  static String caDigest(String caPath) throws Exception {
    byte[] der = NodeCredential.certificate(Path.of(caPath)).getEncoded();
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der), 0, 6);
  }
}
