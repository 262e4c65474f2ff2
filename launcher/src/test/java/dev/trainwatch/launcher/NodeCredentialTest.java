package dev.trainwatch.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.NodeInfo;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The credential a TLS cluster node publishes in its Hazelcast metadata, checked against
 * certificates made the operator's way (scripts/cluster-certs): ours passes; anything else says why
 * it does not.
 */
class NodeCredentialTest {
  @TempDir static Path dir;
  static X509Certificate ca;
  static NodeCredential n1;
  static NodeCredential rogue;

  /** After the certificates: scripts/cluster-certs makes them valid from the second it runs. */
  static Date now;

  static final NodeInfo BUS = new NodeInfo("10.0.0.11", 41234, new JsonObject().put("kept", 1));

  @BeforeAll
  static void certs() throws Exception {
    ClusterTlsTest.certs(dir.resolve("ours"), "n1");
    ClusterTlsTest.certs(dir.resolve("theirs"), "rogue");
    ca = NodeCredential.certificate(dir.resolve("ours/ca.pem"));
    n1 = NodeCredential.load(dir.resolve("ours/n1.pem"), dir.resolve("ours/n1.key"));
    rogue = NodeCredential.load(dir.resolve("theirs/rogue.pem"), dir.resolve("theirs/rogue.key"));
    now = Date.from(Instant.now().plusSeconds(1));
  }

  @Test
  void aNodeOfOursIsTrustedAndItsOtherMetadataIsKept() throws Exception {
    NodeInfo signed = n1.sign("node-a", BUS);
    assertThat(NodeCredential.distrust(ca, "node-a", signed, now)).isNull();
    assertThat(signed.metadata().getInteger("kept")).isEqualTo(1);
    assertThat(signed.host()).isEqualTo("10.0.0.11");
    assertThat(signed.port()).isEqualTo(41234);
  }

  @Test
  void aCertificateFromAnotherCaIsRefused() throws Exception {
    assertThat(NodeCredential.distrust(ca, "node-r", rogue.sign("node-r", BUS), now))
        .isEqualTo("certificate not signed by the cluster's CA");
  }

  @Test
  void aCopiedCredentialVouchesForNoOtherNodeOrAddress() throws Exception {
    JsonObject copied = n1.sign("node-a", BUS).metadata();
    assertThat(NodeCredential.distrust(ca, "node-b", new NodeInfo("10.0.0.11", 41234, copied), now))
        .isEqualTo("signature does not match its node id and address");
    assertThat(NodeCredential.distrust(ca, "node-a", new NodeInfo("10.6.6.6", 41234, copied), now))
        .isEqualTo("signature does not match its node id and address");
    assertThat(NodeCredential.distrust(ca, "node-a", new NodeInfo("10.0.0.11", 41235, copied), now))
        .isEqualTo("signature does not match its node id and address");
  }

  @Test
  void noCredentialOrAGarbledOneIsRefused() throws Exception {
    assertThat(NodeCredential.distrust(ca, "x", null, now)).isEqualTo("no node information");
    assertThat(NodeCredential.distrust(ca, "x", new NodeInfo("10.0.0.9", 1, null), now))
        .isEqualTo("no credential");
    assertThat(NodeCredential.distrust(ca, "x", new NodeInfo("10.0.0.9", 1, new JsonObject()), now))
        .isEqualTo("no credential");
    JsonObject garbled =
        new JsonObject()
            .put(
                NodeCredential.METADATA_KEY,
                new JsonObject().put("cert", "not base64!").put("sig", "AAAA"));
    assertThat(NodeCredential.distrust(ca, "x", new NodeInfo("10.0.0.9", 1, garbled), now))
        .startsWith("unreadable credential");
    JsonObject badSignature = n1.sign("node-a", BUS).metadata();
    badSignature.getJsonObject(NodeCredential.METADATA_KEY).put("sig", "AAAA");
    assertThat(
            NodeCredential.distrust(
                ca, "node-a", new NodeInfo("10.0.0.11", 41234, badSignature), now))
        .isIn(
            "signature does not match its node id and address",
            "unreadable credential (SignatureException)");
  }

  @Test
  void anExpiredCertificateIsRefused() throws Exception {
    // scripts/cluster-certs issues node certificates for 825 days.
    Date later = Date.from(Instant.now().plusSeconds(900L * 24 * 3600));
    assertThat(NodeCredential.distrust(ca, "node-a", n1.sign("node-a", BUS), later))
        .isEqualTo("certificate expired or not yet valid");
  }
}
