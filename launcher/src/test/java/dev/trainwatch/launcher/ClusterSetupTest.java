package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: a plain event bus only on loopback, unless an operator says otherwise; TLS all or
 * nothing.
 */
class ClusterSetupTest {
  static JsonObject cluster(Map<String, String> env) throws Exception {
    return ConfigLoader.load(null, env).getJsonObject("cluster");
  }

  @Test
  void aPlainBusOffLoopbackIsRefusedUnlessAllowed() throws Exception {
    assertThat(ClusterSetup.checkTls(cluster(Map.of()))).isFalse();
    assertThatThrownBy(
            () -> ClusterSetup.checkTls(cluster(Map.of("TRAINWATCH_CLUSTER_HOST", "10.1.2.3"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cluster.tls: is required for a cluster on 10.1.2.3");
    assertThat(
            ClusterSetup.checkTls(
                cluster(
                    Map.of(
                        "TRAINWATCH_CLUSTER_HOST",
                        "10.1.2.3",
                        "TRAINWATCH_CLUSTER_ALLOW_INSECURE",
                        "true"))))
        .isFalse();
  }

  @Test
  void tlsNeedsCertKeyAndCa() throws Exception {
    String pem = Files.createTempFile("tw", ".pem").toString();
    assertThatThrownBy(
            () ->
                ClusterSetup.checkTls(
                    cluster(
                        Map.of(
                            "TRAINWATCH_CLUSTER_TLS_CERT",
                            pem,
                            "TRAINWATCH_CLUSTER_TLS_KEY",
                            pem))))
        .hasMessage("cluster.tls: needs all of cert, key and ca, or none");
    assertThat(
            ClusterSetup.checkTls(
                cluster(
                    Map.of(
                        "TRAINWATCH_CLUSTER_HOST",
                        "10.1.2.3",
                        "TRAINWATCH_CLUSTER_TLS_CERT",
                        pem,
                        "TRAINWATCH_CLUSTER_TLS_KEY",
                        pem,
                        "TRAINWATCH_CLUSTER_TLS_CA",
                        pem))))
        .isTrue();
  }
}
