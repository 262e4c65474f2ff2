package dev.trainwatch.bus;

import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.bus.raw.RawSample;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * Carries a message record between verticles. In one JVM the record itself is handed over: records
 * are treated as immutable once built, so the copy Vert.x makes of a JsonObject body (and the parse
 * back into a record at the receiver) is pure waste on the hot path. Across a cluster the wire
 * format stays JSON ({@code toJson()} / {@code fromJson()}), so nodes of different builds still
 * understand each other.
 */
public final class RecordCodec<T> implements MessageCodec<T, T> {
  private final String name;
  private final Class<T> type;
  private final Function<T, JsonObject> toJson;
  private final Function<Buffer, T> fromJson;

  RecordCodec(Class<T> type, Function<T, JsonObject> toJson, Function<JsonObject, T> fromJson) {
    this(toJson, b -> fromJson.apply(new JsonObject(b)), type);
  }

  private RecordCodec(Function<T, JsonObject> toJson, Function<Buffer, T> fromWire, Class<T> type) {
    this.name = "trainwatch-" + type.getSimpleName();
    this.type = type;
    this.toJson = toJson;
    this.fromJson = fromWire;
  }

  /**
   * For records with a streaming reader: the wire's JSON bytes are read as they are, no tree on the
   * way.
   */
  static <T> RecordCodec<T> readingBytes(
      Class<T> type, Function<T, JsonObject> toJson, Function<Buffer, T> fromWire) {
    return new RecordCodec<>(toJson, fromWire, type);
  }

  @Override
  public void encodeToWire(Buffer buffer, T t) {
    Buffer json = toJson.apply(t).toBuffer();
    buffer.appendInt(json.length()).appendBuffer(json);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int len = buffer.getInt(pos);
    return fromJson.apply(buffer.getBuffer(pos + 4, pos + 4 + len));
  }

  @Override
  public T transform(T t) {
    return t;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }

  /** Registers the codecs of the records sent on the bus, once per Vert.x instance (idempotent). */
  public static synchronized void registerAll(Vertx vertx) {
    register(vertx, readingBytes(RawSample.class, RawSample::toJson, RawSample::fromJson));
    register(
        vertx,
        new RecordCodec<>(
            DerivedSnapshot.class, DerivedSnapshot::toJson, DerivedSnapshot::fromJson));
  }

  private static <T> void register(Vertx vertx, RecordCodec<T> codec) {
    try {
      vertx.eventBus().registerDefaultCodec(codec.type, codec);
    } catch (IllegalStateException alreadyRegistered) {
      // Another verticle of this Vert.x instance registered it first: same codec, nothing to do.
    }
  }
}
