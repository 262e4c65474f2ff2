package dev.trainwatch.bus;

import static com.fasterxml.jackson.core.JsonToken.END_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.END_OBJECT;
import static com.fasterxml.jackson.core.JsonToken.FIELD_NAME;
import static com.fasterxml.jackson.core.JsonToken.START_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.START_OBJECT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NULL;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_FLOAT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_STRING;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.trainwatch.bus.JsonScalars.Fault;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
// Vert.x internal API, on purpose: allow-listed with its reason and measurement in
// InternalApiFenceTest.
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * The strict streaming reader of contract JSON (agent snapshots): the records' {@code
 * read(JsonCursor)} methods pull their members straight from Jackson's parser, so no JSON tree is
 * built. The rules are those of the tree readers in {@link Json}: {@code null} is absent, unknown
 * keys are skipped, numbers follow {@link JsonScalars}, the same messages and field paths. Paths
 * come from the parser's own context chain and are built only when something is wrong.
 *
 * <p>Two exceptions: {@link InvalidPayloadException} (JSON, but not the contract) and {@link
 * Malformed} (not JSON under {@link JsonLimits}). Reading stops at the first fault in document
 * order, whichever kind it is: an agent fixes what it is told, and nothing after the fault is read.
 * A fault that is only known at a container's end (a required member missing, a core with fewer
 * than 8 counters) is at that end. A container with too many elements is at fault from its first
 * element past the limit; the rest is counted so that the message gives the real size. A key given
 * twice: each occurrence is read and checked, the last one counts.
 */
public final class JsonCursor implements AutoCloseable {

  /** Not JSON, or beyond {@link JsonLimits}. */
  public static final class Malformed extends RuntimeException {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Reads one value whose first token ({@code START_OBJECT}) is current, up to and including its
   * last token.
   */
  public interface Reader<T> {
    T read(JsonCursor c);
  }

  /** What an absent (or null) required integer reads as; every contract minimum is above it. */
  public static final long ABSENT = Long.MIN_VALUE;

  // Same features as Vert.x's own codec (which allows comments), same limits: a body gets the same
  // verdict here.
  private static final JsonFactory FACTORY =
      new JsonFactoryBuilder()
          .streamReadConstraints(JsonLimits.constraints())
          .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          // FastDoubleParser instead of the JDK's: same doubles, a fifth of the parse time was
          // FloatingDecimal.
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .build();

  private final JsonParser p;
  private final String prefix;

  private JsonCursor(JsonParser p, String prefix) {
    this.p = p;
    this.prefix = prefix == null ? "" : prefix;
  }

  /**
   * A cursor on a whole document; {@code prefix} is put in front of every field path (e.g. {@code
   * gpus[0]}).
   */
  public static JsonCursor open(byte[] bytes, int offset, int length, String prefix) {
    try {
      if (!utf8(bytes, offset, length)) {
        throw new IOException("JSON must be UTF-8 (RFC 8259 section 8.1)");
      }
      return new JsonCursor(FACTORY.createParser(bytes, offset, length), prefix);
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  /**
   * Jackson would detect UTF-16 and UTF-32 and decode them; the contract (and RFC 8259 between
   * systems) says UTF-8. JSON in UTF-8 has no NUL byte among its first four (a NUL in a string must
   * be escaped), and no UTF-16 byte order mark; those are exactly what Jackson's detection keys on.
   * A UTF-8 byte order mark is tolerated, as the RFC allows.
   */
  static boolean utf8(byte[] b, int offset, int length) {
    for (int i = 0; i < Math.min(4, length); i++) {
      if (b[offset + i] == 0) {
        return false;
      }
    }
    return length < 2
        || !((b[offset] == (byte) 0xFE && b[offset + 1] == (byte) 0xFF)
            || (b[offset] == (byte) 0xFF && b[offset + 1] == (byte) 0xFE));
  }

  public static JsonCursor open(Buffer buf, String prefix) {
    // A heap buffer is read in place: a snapshot body is ~20 KB and copying it is pure waste.
    // Internal API, allow-listed with its reason in launcher's InternalApiFenceTest.
    if (buf instanceof BufferInternal bi) {
      ByteBuf bb = bi.getByteBuf();
      if (bb.hasArray()) {
        return open(bb.array(), bb.arrayOffset() + bb.readerIndex(), bb.readableBytes(), prefix);
      }
    }
    byte[] b = buf.getBytes();
    return open(b, 0, b.length, prefix);
  }

  /**
   * Reads a whole document that must be one object, with {@code reader}. Not-JSON input becomes an
   * {@link InvalidPayloadException} naming {@code prefix}: callers of this have no separate "not
   * JSON" answer.
   */
  public static <T> T readObject(Buffer buf, String prefix, Reader<T> reader) {
    try (JsonCursor c = open(buf, prefix)) {
      if (c.first() != START_OBJECT) {
        throw new InvalidPayloadException(c.prefix, "must be an object");
      }
      T v = reader.read(c);
      c.finish();
      return v;
    } catch (Malformed e) {
      throw new InvalidPayloadException(prefix, "is not valid JSON: " + e.getMessage());
    }
  }

  /**
   * The entry point kept for JSON trees (the cluster wire, tests): encodes and reads it like a
   * body.
   */
  public static <T> T readObject(JsonObject o, String prefix, Reader<T> reader) {
    return readObject(o.toBuffer(), prefix, reader);
  }

  @Override
  public void close() {
    try {
      p.close();
    } catch (IOException e) {
      // Nothing is held but recycled buffers.
    }
  }

  // ---- tokens

  /** The document's first token: an empty document is not JSON. */
  public JsonToken first() {
    JsonToken t = next();
    if (t == null) {
      throw new Malformed("unexpected end of input");
    }
    return t;
  }

  public JsonToken next() {
    try {
      return p.nextToken();
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  /**
   * The next member's name, or null at the end of the object (then {@code END_OBJECT} is current).
   */
  public String nextKey() {
    try {
      String k = p.nextFieldName();
      if (k == null && p.currentToken() != END_OBJECT) {
        throw new Malformed("expected a member name or '}'");
      }
      return k;
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  /**
   * Skips the current value (whose first token is current); what it holds must still be JSON within
   * the limits.
   */
  public void skipCurrent() {
    JsonToken t = p.currentToken();
    if (t == VALUE_STRING) {
      text(); // Jackson checks a string's length only when it is read: unknown keys get no longer
      // strings
    } else if (t == START_OBJECT || t == START_ARRAY) {
      int depth = 1;
      while (depth > 0) {
        t = next();
        if (t == null) {
          throw new Malformed("unexpected end of input");
        }
        if (t == START_OBJECT || t == START_ARRAY) {
          depth++;
        } else if (t == END_OBJECT || t == END_ARRAY) {
          depth--;
        } else if (t == VALUE_STRING) {
          text();
        }
      }
    }
  }

  /** Skips the value of the member whose name was just read. */
  public void skipValue() {
    next();
    skipCurrent();
  }

  /** Reads to the end of the document: the rest of the root value, then nothing but whitespace. */
  public void finish() {
    boolean rootDone = p.currentToken() != null && p.getParsingContext().inRoot();
    for (JsonToken t; (t = next()) != null; ) {
      if (rootDone) {
        throw new Malformed(
            "Unexpected trailing token"); // Jackson reads "{} {}" as two root values
      }
      if (t == VALUE_STRING) {
        text();
      }
      rootDone = p.getParsingContext().inRoot();
    }
    if (!rootDone) {
      throw new Malformed("unexpected end of input");
    }
  }

  /**
   * After a fault inside the root object: whether a member {@code key} of the root comes later,
   * which changes what the document is (ingest: a batch). Reads on only until it is found. When the
   * text breaks off first, no: that syntax error comes after the fault already found.
   */
  public boolean laterRootKey(String key) {
    try {
      for (JsonToken t; (t = next()) != null; ) {
        if (t == FIELD_NAME) {
          JsonStreamContext ctx = p.getParsingContext();
          if (ctx.getParent() != null
              && ctx.getParent().inRoot()
              && key.equals(ctx.getCurrentName())) {
            return true;
          }
        }
      }
      return false;
    } catch (Malformed e) {
      return false;
    }
  }

  private String text() {
    try {
      return p.getText();
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  // ---- paths, built only for an error

  /** The path of the current value; at an end token, of the object or array it closes. */
  public String here() {
    return entry(valueContext());
  }

  /**
   * The path of the array or object that holds the current value, or whose member name is current.
   */
  public String holderPath() {
    return entry(valueContext().getParent());
  }

  /**
   * The context whose current entry is the current value (a START token has already opened its
   * own).
   */
  private JsonStreamContext valueContext() {
    JsonToken t = p.currentToken();
    return t == START_OBJECT || t == START_ARRAY
        ? p.getParsingContext().getParent()
        : p.getParsingContext();
  }

  /** At the end of an object: the path of its member {@code key}. */
  public String member(String key) {
    return Json.path(entry(p.getParsingContext()), key);
  }

  private String entry(JsonStreamContext ctx) {
    if (ctx == null || ctx.inRoot()) {
      return prefix;
    }
    String parent = entry(ctx.getParent());
    return ctx.inArray()
        ? Json.path(parent, Math.max(ctx.getCurrentIndex(), 0))
        : Json.path(parent, ctx.getCurrentName());
  }

  public InvalidPayloadException bad(String reason) {
    return new InvalidPayloadException(here(), reason);
  }

  /** At the end of an object: its required member {@code key} was absent, null or empty. */
  public InvalidPayloadException missing(String key) {
    return new InvalidPayloadException(member(key), "is required");
  }

  /**
   * The current value is one element too many for its array, which allows {@code max}: the array's
   * fault.
   */
  public InvalidPayloadException tooMany(int before, int max) {
    return oversize(
        () -> before + countRest(),
        max,
        n -> "has " + n + " elements, at most " + max + " allowed");
  }

  /**
   * The current value is one past {@code max} in its container: the container's fault, with its
   * real size (from {@code size}, which reads on to the container's end) in {@code reason}. When
   * the text breaks off before that end, the size is "more than max": the syntax error comes after
   * this fault.
   */
  public InvalidPayloadException oversize(
      IntSupplier size, int max, Function<String, String> reason) {
    String path = holderPath();
    String n;
    try {
      n = Integer.toString(size.getAsInt());
    } catch (Malformed e) {
      n = "more than " + max;
    }
    return new InvalidPayloadException(path, reason.apply(n));
  }

  /**
   * Skips the current element and the rest of its array; returns how many that was. END_ARRAY is
   * then current.
   */
  public int countRest() {
    int n = 0;
    for (JsonToken t = p.currentToken(); t != END_ARRAY; t = next()) {
      skipCurrent();
      n++;
    }
    return n;
  }

  /**
   * At a member name: skips that member and the rest of its object, adding their names. END_OBJECT
   * is then current.
   */
  public void restNames(Set<String> names) {
    try {
      for (String k = p.currentName(); k != null; k = nextKey()) {
        names.add(k);
        skipValue();
      }
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  // ---- members: each reads the value of the member whose name was just read

  public String optString(int maxLen) {
    return stringHere(next(), maxLen, true);
  }

  /**
   * Absent, null or empty read as null: the caller reports {@link #missing} at the end of the
   * object.
   */
  public String reqString(int maxLen) {
    String s = stringHere(next(), maxLen, true);
    return s == null || s.isEmpty() ? null : s;
  }

  private String stringHere(JsonToken t, int maxLen, boolean nullable) {
    if (t == VALUE_NULL && nullable) {
      return null;
    }
    if (t != VALUE_STRING) {
      throw bad("must be a string");
    }
    String s = text();
    if (s.length() > maxLen) {
      throw bad("is longer than " + maxLen + " characters");
    }
    return s;
  }

  /** A required RFC 3339 timestamp; null when absent, null or empty. */
  public Instant reqInstant() {
    String s = reqString(64);
    if (s == null) {
      return null;
    }
    try {
      return Rfc3339.parse(s);
    } catch (DateTimeParseException e) {
      throw bad("must be an RFC 3339 UTC timestamp such as 2026-11-22T06:00:00.123Z");
    }
  }

  public Boolean optBoolean() {
    JsonToken t = next();
    if (t == VALUE_NULL) {
      return null;
    }
    if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
      return t == JsonToken.VALUE_TRUE;
    }
    throw bad("must be true or false");
  }

  /** An integer in [min, max], or {@link #ABSENT} when absent or null. */
  public long optLong(long min, long max) {
    JsonToken t = next();
    return t == VALUE_NULL ? ABSENT : longHere(t, min, max);
  }

  private long longHere(JsonToken t, long min, long max) {
    try {
      if (t == VALUE_NUMBER_INT) {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          throw JsonScalars.integerBeyondLong(min, max);
        }
        return JsonScalars.integer(p.getLongValue(), min, max);
      }
      if (t == VALUE_NUMBER_FLOAT) {
        return JsonScalars.integer(p.getDoubleValue(), min, max);
      }
      throw bad(JsonScalars.NUMBER);
    } catch (Fault f) {
      throw bad(f.getMessage());
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  /** An unsigned 64-bit counter as the long with the same bits, or null when absent. */
  public Long optCounter() {
    JsonToken t = next();
    return t == VALUE_NULL ? null : counterHere(t);
  }

  /** The current array element as a counter (an element may not be null). */
  public long counterAt(JsonToken t) {
    if (t == VALUE_NULL) {
      throw bad(JsonScalars.NUMBER);
    }
    return counterHere(t);
  }

  private long counterHere(JsonToken t) {
    try {
      if (t == VALUE_NUMBER_INT) {
        return p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
            ? JsonScalars.counter(p.getLongValue())
            : JsonScalars.counter(p.getBigIntegerValue());
      }
      if (t == VALUE_NUMBER_FLOAT) {
        return JsonScalars.counter(p.getDoubleValue());
      }
      throw bad(JsonScalars.COUNTER);
    } catch (Fault f) {
      throw bad(f.getMessage());
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  /** A number in [min, max], or null when absent. */
  public Double optDouble(double min, double max) {
    JsonToken t = next();
    return t == VALUE_NULL ? null : doubleHere(t, min, max);
  }

  private double doubleHere(JsonToken t, double min, double max) {
    if (t != VALUE_NUMBER_INT && t != VALUE_NUMBER_FLOAT) {
      throw bad(JsonScalars.NUMBER);
    }
    try {
      return JsonScalars.number(p.getDoubleValue(), min, max);
    } catch (Fault f) {
      throw bad(f.getMessage());
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  /**
   * Opens an optional object member: true with {@code START_OBJECT} current, false when absent or
   * null.
   */
  public boolean optObject() {
    JsonToken t = next();
    if (t == VALUE_NULL) {
      return false;
    }
    if (t != START_OBJECT) {
      throw bad("must be an object");
    }
    return true;
  }

  /**
   * Opens an optional array member: true with {@code START_ARRAY} current, false when absent or
   * null.
   */
  public boolean optArray() {
    JsonToken t = next();
    if (t == VALUE_NULL) {
      return false;
    }
    if (t != START_ARRAY) {
      throw bad("must be an array");
    }
    return true;
  }

  /**
   * An optional array of at most {@code maxSize} objects, each read by {@code reader}; null when
   * absent.
   */
  public <T> List<T> optList(int maxSize, Reader<T> reader) {
    return optElements(
        maxSize,
        t -> {
          if (t != START_OBJECT) {
            throw bad("must be an object");
          }
          return reader.read(this);
        });
  }

  public List<Double> optDoubles(int maxSize, double min, double max) {
    return optElements(maxSize, t -> doubleHere(t, min, max));
  }

  public List<String> optStrings(int maxSize, int maxLen) {
    return optElements(maxSize, t -> stringHere(t, maxLen, false));
  }

  /**
   * An optional array of at most {@code maxSize} elements, each read from its first token; null
   * when absent.
   */
  private <T> List<T> optElements(int maxSize, Function<JsonToken, T> element) {
    if (!optArray()) {
      return null;
    }
    List<T> out = new ArrayList<>();
    for (JsonToken t = next(); t != END_ARRAY; t = next()) {
      if (out.size() == maxSize) {
        throw tooMany(out.size(), maxSize);
      }
      out.add(element.apply(t));
    }
    return out;
  }

  private static Malformed malformed(IOException e) {
    String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    if (m == null) {
      return new Malformed("body is not valid JSON");
    }
    int nl = m.indexOf('\n');
    String first = nl < 0 ? m : m.substring(0, nl);
    return new Malformed(first.length() > 300 ? first.substring(0, 300) : first);
  }
}
