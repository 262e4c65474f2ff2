package dev.trainwatch.agent.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class BatchBodyTest {
  private static final SnapshotPayload CODEC = new SnapshotPayload();

  private static byte[] payload(int seq, int padding) {
    String json = new JsonObject().put("seq", seq).put("pad", "x".repeat(padding)).encode();
    return CODEC.deflate(json.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonArray snapshots(BatchBody b) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b.gzip()))) {
      JsonObject o = new JsonObject(Buffer.buffer(in.readAllBytes()));
      assertThat(o.fieldNames()).containsExactly("snapshots");
      return o.getJsonArray("snapshots");
    }
  }

  @Test
  void theAnchorGoesFirstThenTheRecordsInOrder() throws IOException {
    BatchBody b =
        BatchBody.build(
            CODEC,
            payload(0, 10),
            List.of(payload(1, 10), payload(2, 10)),
            BatchBody.MAX_JSON_BYTES);
    assertThat(b.records()).isEqualTo(2);
    assertThat(b.anchored()).isTrue();
    assertThat(b.snapshots()).isEqualTo(3);
    JsonArray a = snapshots(b);
    assertThat(a.stream().map(o -> ((JsonObject) o).getInteger("seq")).toList())
        .containsExactly(0, 1, 2);
  }

  @Test
  void stopsBeforeTheServersLimitCountedUncompressed() throws IOException {
    List<byte[]> many = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      many.add(payload(i, 50_000));
    }
    BatchBody b = BatchBody.build(CODEC, null, many, BatchBody.MAX_JSON_BYTES);
    assertThat(b.records()).isEqualTo(19);
    assertThat(b.jsonBytes()).isLessThanOrEqualTo(BatchBody.MAX_JSON_BYTES);
    assertThat(snapshots(b)).hasSize(19);
    // Highly compressible padding: the wire body is a small fraction, but the limit is the server's
    // after inflating.
    assertThat(b.gzip().length).isLessThan(50_000);
  }

  @Test
  void atMostAThousandSnapshots() throws IOException {
    List<byte[]> many = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      many.add(payload(i, 1));
    }
    BatchBody b = BatchBody.build(CODEC, payload(-1, 1), many, BatchBody.MAX_JSON_BYTES);
    assertThat(b.snapshots()).isEqualTo(1000);
    assertThat(snapshots(b)).hasSize(1000);
  }

  @Test
  void aRecordOverTheLimitStillGoesAloneAndAnUndecodableOneIsSkipped() throws IOException {
    BatchBody big =
        BatchBody.build(
            CODEC, null, List.of(payload(1, 2_000_000), payload(2, 1)), BatchBody.MAX_JSON_BYTES);
    assertThat(big.records()).isEqualTo(1);
    BatchBody damaged =
        BatchBody.build(
            CODEC, null, List.of(new byte[] {1, 2, 3}, payload(2, 1)), BatchBody.MAX_JSON_BYTES);
    assertThat(damaged.records()).isEqualTo(2);
    assertThat(damaged.undecodable()).isEqualTo(1);
    assertThat(snapshots(damaged)).hasSize(1);
  }
}
