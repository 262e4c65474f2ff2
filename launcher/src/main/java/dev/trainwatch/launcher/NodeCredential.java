package dev.trainwatch.launcher;

import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.NodeInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Date;

/**
 * A cluster node's proof that it holds a key the cluster's CA certified: its certificate and its
 * signature over its node id and bus address, carried in the node's Hazelcast metadata. Hazelcast's
 * open-source edition lets any host that reaches it join and publish consumers; a node whose
 * metadata does not verify against our CA is ignored ({@link TrustedClusterManager}). The signature
 * binds the id and address, so a copied credential vouches for nothing but the node that made it.
 */
final class NodeCredential {
  static final String METADATA_KEY = "trainwatch_credential";
  private static final String CONTEXT = "trainwatch-cluster-node-v1";

  private final X509Certificate cert;
  private final PrivateKey key;

  private NodeCredential(X509Certificate cert, PrivateKey key) {
    this.cert = cert;
    this.key = key;
  }

  /** This node's credential from {@code cluster.tls.cert} and {@code cluster.tls.key} (PKCS#8). */
  static NodeCredential load(Path certPem, Path keyPem)
      throws IOException, GeneralSecurityException {
    X509Certificate cert = certificate(certPem);
    byte[] der = pemBody(Files.readString(keyPem), "PRIVATE KEY");
    PrivateKey key =
        KeyFactory.getInstance(cert.getPublicKey().getAlgorithm())
            .generatePrivate(new PKCS8EncodedKeySpec(der));
    return new NodeCredential(cert, key);
  }

  /** {@code info} with this node's credential for {@code nodeId} added to its metadata. */
  NodeInfo sign(String nodeId, NodeInfo info) throws GeneralSecurityException {
    Signature s = Signature.getInstance(signatureAlgorithm(cert.getPublicKey()));
    s.initSign(key);
    s.update(signed(nodeId, info.host(), info.port()));
    JsonObject metadata = info.metadata() == null ? new JsonObject() : info.metadata().copy();
    metadata.put(
        METADATA_KEY,
        new JsonObject()
            .put("cert", Base64.getEncoder().encodeToString(cert.getEncoded()))
            .put("sig", Base64.getEncoder().encodeToString(s.sign())));
    return new NodeInfo(info.host(), info.port(), metadata);
  }

  /**
   * Why node {@code nodeId}, as {@code info} describes it, is not to be trusted by a cluster whose
   * CA is {@code ca}; null when it is: a certificate the CA signed, valid at {@code now}, whose key
   * signed this id and this address.
   */
  static String distrust(X509Certificate ca, String nodeId, NodeInfo info, Date now) {
    if (info == null) {
      return "no node information";
    }
    JsonObject credential =
        info.metadata() == null ? null : info.metadata().getJsonObject(METADATA_KEY);
    if (credential == null
        || credential.getString("cert") == null
        || credential.getString("sig") == null) {
      return "no credential";
    }
    try {
      X509Certificate cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(
                          Base64.getDecoder().decode(credential.getString("cert"))));
      try {
        cert.verify(ca.getPublicKey());
      } catch (GeneralSecurityException e) {
        return "certificate not signed by the cluster's CA";
      }
      try {
        cert.checkValidity(now);
      } catch (GeneralSecurityException e) {
        return "certificate expired or not yet valid";
      }
      Signature s = Signature.getInstance(signatureAlgorithm(cert.getPublicKey()));
      s.initVerify(cert.getPublicKey());
      s.update(signed(nodeId, info.host(), info.port()));
      return s.verify(Base64.getDecoder().decode(credential.getString("sig")))
          ? null
          : "signature does not match its node id and address";
    } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
      return "unreadable credential (" + e.getClass().getSimpleName() + ")";
    }
  }

  static X509Certificate certificate(Path pem) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static byte[] signed(String nodeId, String host, int port) {
    return (CONTEXT + "\n" + nodeId + "\n" + host + "\n" + port).getBytes(StandardCharsets.UTF_8);
  }

  private static String signatureAlgorithm(PublicKey key) throws GeneralSecurityException {
    return switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> throw new GeneralSecurityException("unsupported key " + key.getAlgorithm());
    };
  }

  private static byte[] pemBody(String pem, String type) throws GeneralSecurityException {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf(end);
    if (from < 0 || to < from) {
      throw new GeneralSecurityException(
          "not a PEM " + type + " (PKCS#8, as scripts/cluster-certs writes)");
    }
    return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
  }
}
