package dev.trainwatch.bus;

import dev.trainwatch.bus.JsonScalars.Fault;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Strict tree readers and compact writers for contract JSON. The readers serve the records the
 * server makes itself (derived snapshots, replies); agent input is read by the streaming {@link
 * JsonCursor}. Both apply the numeric rules of {@link JsonScalars}. Readers take the parent path
 * and the key separately and only build the full path when they throw.
 */
public final class Json {
  private Json() {}

  public static String path(String parent, String key) {
    return parent == null || parent.isEmpty() ? key : parent + "." + key;
  }

  public static String path(String parent, int index) {
    return parent + "[" + index + "]";
  }

  /** Decodes any JSON value, under the JVM-wide Jackson limits (see {@link JsonLimits}). */
  public static Object decode(Buffer buf) {
    return io.vertx.core.json.Json.decodeValue(buf);
  }

  // ---- objects and arrays

  public static JsonObject optObject(JsonObject o, String parent, String key) {
    Object v = o.getValue(key);
    if (v == null) {
      return null;
    }
    if (v instanceof JsonObject j) {
      return j;
    }
    throw new InvalidPayloadException(path(parent, key), "must be an object");
  }

  public static JsonArray optArray(JsonObject o, String parent, String key, int maxSize) {
    Object v = o.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonArray a)) {
      throw new InvalidPayloadException(path(parent, key), "must be an array");
    }
    if (a.size() > maxSize) {
      throw new InvalidPayloadException(
          path(parent, key), "has " + a.size() + " elements, at most " + maxSize + " allowed");
    }
    return a;
  }

  public static JsonObject objectAt(JsonArray a, String arrayPath, int i) {
    Object v = a.getValue(i);
    if (v instanceof JsonObject j) {
      return j;
    }
    throw new InvalidPayloadException(path(arrayPath, i), "must be an object");
  }

  // ---- strings

  public static String reqString(JsonObject o, String parent, String key, int maxLen) {
    String s = optString(o, parent, key, maxLen);
    if (s == null || s.isEmpty()) {
      throw new InvalidPayloadException(path(parent, key), "is required");
    }
    return s;
  }

  public static String optString(JsonObject o, String parent, String key, int maxLen) {
    Object v = o.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new InvalidPayloadException(path(parent, key), "must be a string");
    }
    if (s.length() > maxLen) {
      throw new InvalidPayloadException(
          path(parent, key), "is longer than " + maxLen + " characters");
    }
    return s;
  }

  public static String stringAt(JsonArray a, String arrayPath, int i, int maxLen) {
    Object v = a.getValue(i);
    if (!(v instanceof String s)) {
      throw new InvalidPayloadException(path(arrayPath, i), "must be a string");
    }
    if (s.length() > maxLen) {
      throw new InvalidPayloadException(
          path(arrayPath, i), "is longer than " + maxLen + " characters");
    }
    return s;
  }

  public static Instant reqInstant(JsonObject o, String parent, String key) {
    String s = reqString(o, parent, key, 64);
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new InvalidPayloadException(
          path(parent, key), "must be an RFC 3339 UTC timestamp such as 2026-11-22T06:00:00.123Z");
    }
  }

  public static Boolean optBoolean(JsonObject o, String parent, String key) {
    Object v = o.getValue(key);
    if (v == null) {
      return null;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw new InvalidPayloadException(path(parent, key), "must be true or false");
  }

  // ---- integers

  public static long reqLong(JsonObject o, String parent, String key, long min, long max) {
    Long v = optLong(o, parent, key, min, max);
    if (v == null) {
      throw new InvalidPayloadException(path(parent, key), "is required");
    }
    return v;
  }

  public static Long optLong(JsonObject o, String parent, String key, long min, long max) {
    Object v = o.getValue(key);
    return v == null ? null : checkedLong(v, min, max, parent, key, -1);
  }

  private static long checkedLong(
      Object v, long min, long max, String parent, String key, int index) {
    try {
      if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
        return JsonScalars.integer(((Number) v).longValue(), min, max);
      }
      if (v instanceof Double || v instanceof Float) {
        return JsonScalars.integer(((Number) v).doubleValue(), min, max);
      }
      throw v instanceof Number
          ? JsonScalars.integerBeyondLong(min, max)
          : new Fault(JsonScalars.NUMBER);
    } catch (Fault f) {
      throw bad(parent, key, index, f.getMessage());
    }
  }

  /**
   * A monotonically increasing counter: an unsigned 64-bit integer, returned as the long with the
   * same bits (compare with {@link Long#compareUnsigned}, subtract with plain {@code -}).
   */
  public static Long optCounter(JsonObject o, String parent, String key) {
    Object v = o.getValue(key);
    return v == null ? null : checkedCounter(v, parent, key, -1);
  }

  private static long checkedCounter(Object v, String parent, String key, int index) {
    try {
      if (v instanceof Integer || v instanceof Long) {
        return JsonScalars.counter(((Number) v).longValue());
      }
      if (v instanceof BigInteger b) {
        return JsonScalars.counter(b);
      }
      if (v instanceof Double || v instanceof Float) {
        return JsonScalars.counter(((Number) v).doubleValue());
      }
      throw new Fault(JsonScalars.COUNTER);
    } catch (Fault f) {
      throw bad(parent, key, index, f.getMessage());
    }
  }

  // ---- floating point

  public static Double optDouble(JsonObject o, String parent, String key, double min, double max) {
    Object v = o.getValue(key);
    return v == null ? null : checkedDouble(v, min, max, parent, key, -1);
  }

  public static double doubleAt(JsonArray a, String arrayPath, int i, double min, double max) {
    Object v = a.getValue(i);
    if (v == null) {
      throw new InvalidPayloadException(path(arrayPath, i), JsonScalars.NUMBER);
    }
    return checkedDouble(v, min, max, arrayPath, null, i);
  }

  private static double checkedDouble(
      Object v, double min, double max, String parent, String key, int index) {
    if (!(v instanceof Number n)) {
      throw bad(parent, key, index, JsonScalars.NUMBER);
    }
    try {
      return JsonScalars.number(n.doubleValue(), min, max);
    } catch (Fault f) {
      throw bad(parent, key, index, f.getMessage());
    }
  }

  private static InvalidPayloadException bad(String parent, String key, int index, String msg) {
    return new InvalidPayloadException(key != null ? path(parent, key) : path(parent, index), msg);
  }

  // ---- lists

  public interface ElementReader<T> {
    T read(JsonObject element, String elementPath);
  }

  /** Reads an optional array of objects; {@code null} when absent. */
  public static <T> List<T> optList(
      JsonObject o, String parent, String key, int maxSize, ElementReader<T> reader) {
    JsonArray a = optArray(o, parent, key, maxSize);
    if (a == null) {
      return null;
    }
    String ap = path(parent, key);
    List<T> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      JsonObject e = objectAt(a, ap, i);
      out.add(reader.read(e, path(ap, i)));
    }
    return out;
  }

  public static List<Double> optDoubles(
      JsonObject o, String parent, String key, int maxSize, double min, double max) {
    JsonArray a = optArray(o, parent, key, maxSize);
    if (a == null) {
      return null;
    }
    String ap = path(parent, key);
    List<Double> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      out.add(doubleAt(a, ap, i, min, max));
    }
    return out;
  }

  public static List<String> optStrings(
      JsonObject o, String parent, String key, int maxSize, int maxLen) {
    JsonArray a = optArray(o, parent, key, maxSize);
    if (a == null) {
      return null;
    }
    String ap = path(parent, key);
    List<String> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      out.add(stringAt(a, ap, i, maxLen));
    }
    return out;
  }

  // ---- writing: absent stays absent

  private static final DateTimeFormatter RFC3339_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /**
   * CONTRACT.md: timestamps are RFC 3339 UTC with milliseconds, always three digits ({@code
   * Instant.toString()} drops them when zero and adds micros when present).
   */
  public static String ts(Instant t) {
    return RFC3339_MILLIS.format(t);
  }

  public static JsonObject putOpt(JsonObject o, String key, Object value) {
    if (value != null) {
      o.put(key, value);
    }
    return o;
  }

  /**
   * Writes an unsigned 64-bit counter held in a long; values past {@link Long#MAX_VALUE} go out as
   * BigInteger.
   */
  public static JsonObject putCounter(JsonObject o, String key, Long value) {
    if (value != null) {
      o.put(key, value >= 0 ? (Object) value : new BigInteger(Long.toUnsignedString(value)));
    }
    return o;
  }

  public static <T> JsonArray array(List<T> list, Function<T, Object> f) {
    JsonArray a = new JsonArray(new ArrayList<>(list.size()));
    for (T t : list) {
      a.add(f.apply(t));
    }
    return a;
  }
}
