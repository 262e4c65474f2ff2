package dev.trainwatch.bus;

import static com.fasterxml.jackson.core.JsonToken.END_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.END_OBJECT;
import static com.fasterxml.jackson.core.JsonToken.START_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.START_OBJECT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NULL;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_FLOAT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_STRING;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The strict streaming reader of contract JSON (agent snapshots): the records' {@code read(JsonCursor)} methods pull
 * their members straight from Jackson's parser, so no JSON tree is built. It keeps the rules of the tree readers in
 * {@link Json}: {@code null} is absent, unknown keys are skipped, unsigned 64-bit counters, the same messages and
 * field paths. Paths come from the parser's own context chain and are built only when something is wrong.
 *
 * <p>Two exceptions: {@link InvalidPayloadException} (JSON, but not the contract) and {@link Malformed} (not JSON
 * under {@link JsonLimits}). A tree decoder sees a syntax error anywhere before any contract check; so that a body
 * keeps getting the same verdict, {@link #finish()} reads on to the end after a contract error, and a syntax error
 * found there wins.
 *
 * <p>With several faults, the first in document order is reported, except that a container's size (too many
 * elements or labels, a core without 8 counters) is reported before any fault in its content, as the tree reader
 * did. A key given twice: each occurrence is read and checked, the last one counts (the tree kept the last one too,
 * without looking at the others).
 */
public final class JsonCursor implements AutoCloseable {

  /** Not JSON, or beyond {@link JsonLimits}. */
  public static final class Malformed extends RuntimeException {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  /** Reads one value whose first token ({@code START_OBJECT}) is current, up to and including its last token. */
  public interface Reader<T> {
    T read(JsonCursor c);
  }

  /** What an absent (or null) required integer reads as; every contract minimum is above it. */
  public static final long ABSENT = Long.MIN_VALUE;

  // Same features as Vert.x's own codec (which allows comments), same limits: a body gets the same verdict here.
  private static final JsonFactory FACTORY = new JsonFactoryBuilder()
      .streamReadConstraints(JsonLimits.constraints())
      .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
      // FastDoubleParser instead of the JDK's: same doubles, a fifth of the parse time was FloatingDecimal.
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .build();

  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
  private static final double TWO_53 = 9007199254740992d;
  static final String COUNTER = Json.COUNTER;

  private final JsonParser p;
  private final String prefix;
  private boolean drained;

  private JsonCursor(JsonParser p, String prefix) {
    this.p = p;
    this.prefix = prefix == null ? "" : prefix;
  }

  /** A cursor on a whole document; {@code prefix} is put in front of every field path (e.g. {@code gpus[0]}). */
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
   * Jackson would detect UTF-16 and UTF-32 and decode them; the contract (and RFC 8259 between systems) says UTF-8.
   * JSON in UTF-8 has no NUL byte among its first four (a NUL in a string must be escaped), and no UTF-16 byte order
   * mark; those are exactly what Jackson's detection keys on. A UTF-8 byte order mark is tolerated, as the RFC allows.
   */
  static boolean utf8(byte[] b, int offset, int length) {
    for (int i = 0; i < Math.min(4, length); i++) {
      if (b[offset + i] == 0) {
        return false;
      }
    }
    return length < 2 || !((b[offset] == (byte) 0xFE && b[offset + 1] == (byte) 0xFF)
        || (b[offset] == (byte) 0xFF && b[offset + 1] == (byte) 0xFE));
  }

  public static JsonCursor open(Buffer buf, String prefix) {
    // A heap buffer is read in place: a snapshot body is ~20 KB and copying it is pure waste.
    // Internal API, allow-listed with its reason in launcher's InternalApiFenceTest.
    if (buf instanceof io.vertx.core.internal.buffer.BufferInternal bi) {
      io.netty.buffer.ByteBuf bb = bi.getByteBuf();
      if (bb.hasArray()) {
        return open(bb.array(), bb.arrayOffset() + bb.readerIndex(), bb.readableBytes(), prefix);
      }
    }
    byte[] b = buf.getBytes();
    return open(b, 0, b.length, prefix);
  }

  /**
   * Reads a whole document that must be one object, with {@code reader}. Not-JSON input becomes an
   * {@link InvalidPayloadException} naming {@code prefix}: callers of this have no separate "not JSON" answer.
   */
  public static <T> T readObject(Buffer buf, String prefix, Reader<T> reader) {
    try (JsonCursor c = open(buf, prefix)) {
      try {
        if (c.next() != START_OBJECT) {
          throw new InvalidPayloadException(c.prefix, "must be an object");
        }
        T v = reader.read(c);
        c.finish();
        return v;
      } catch (InvalidPayloadException e) {
        c.finish();
        throw e;
      }
    } catch (Malformed e) {
      throw new InvalidPayloadException(prefix, "is not valid JSON: " + e.getMessage());
    }
  }

  /** The entry point kept for JSON trees (the cluster wire, tests): encodes and reads it like a body. */
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

  public JsonToken next() {
    try {
      return p.nextToken();
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  /** The next member's name, or null at the end of the object (then {@code END_OBJECT} is current). */
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

  /** Skips the current value (whose first token is current), checking it as a tree decoder would. */
  public void skipCurrent() {
    JsonToken t = p.currentToken();
    if (t == VALUE_STRING) {
      text(); // the tree materialised every string, so the string length limit applied to unknown keys too
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

  /**
   * Reads to the end of the document: the rest of the root value, then nothing but whitespace. After a contract
   * error this is what lets a later syntax error (which a tree decoder would have met first) win.
   */
  public void finish() {
    drain(null); // idempotent: a second call finds the end already checked
  }

  /** Whether the root object, read on from here, still has a member {@code key}; reads to the end as {@link #finish}. */
  public boolean laterRootKey(String key) {
    return drain(key);
  }

  private boolean drain(String rootKey) {
    if (drained) {
      return false;
    }
    drained = true;
    boolean found = false;
    boolean rootDone = p.currentToken() != null && p.getParsingContext().inRoot();
    JsonToken t;
    while ((t = next()) != null) {
      if (rootDone) {
        throw new Malformed("Unexpected trailing token");
      }
      if (t == VALUE_STRING) {
        text();
      } else if (t == JsonToken.FIELD_NAME && rootKey != null) {
        JsonStreamContext ctx = p.getParsingContext();
        found |= ctx.getParent() != null && ctx.getParent().inRoot() && rootKey.equals(ctx.getCurrentName());
      }
      rootDone = p.getParsingContext().inRoot();
    }
    if (!rootDone) {
      throw new Malformed("unexpected end of input");
    }
    return found;
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
    JsonStreamContext ctx = p.getParsingContext();
    JsonToken t = p.currentToken();
    if (t == START_OBJECT || t == START_ARRAY) {
      ctx = ctx.getParent();
    }
    return entry(ctx);
  }

  /** The path of the object whose member name is current. */
  public String objectPath() {
    return entry(p.getParsingContext().getParent());
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
    return ctx.inArray() ? Json.path(parent, Math.max(ctx.getCurrentIndex(), 0)) : Json.path(parent, ctx.getCurrentName());
  }

  public InvalidPayloadException bad(String reason) {
    return new InvalidPayloadException(here(), reason);
  }

  /** At the end of an object: its required member {@code key} was absent, null or empty. */
  public InvalidPayloadException missing(String key) {
    return new InvalidPayloadException(member(key), "is required");
  }

  /**
   * The current value is one element too many: counts the rest (the message gives the real size, as the tree
   * did) and returns the error for the array.
   */
  public InvalidPayloadException tooMany(int before, int max) {
    int n = before + countRest();
    return new InvalidPayloadException(here(), "has " + n + " elements, at most " + max + " allowed");
  }

  /** Skips the current element and the rest of its array; returns how many that was. END_ARRAY is then current. */
  public int countRest() {
    int n = 0;
    for (JsonToken t = p.currentToken(); t != END_ARRAY; t = next()) {
      skipCurrent();
      n++;
    }
    return n;
  }

  /** Marks the array or object just opened (its START token is current), for {@link #skipRest}. */
  public Object mark() {
    return p.getParsingContext();
  }

  /**
   * From anywhere inside the container marked {@code mark}, reads on to its end token (then current); returns how
   * many elements (members, whose names go to {@code names} if given) come after the current one. The tree reader
   * checked a container's size before its content: after a fault in the content, this finds out whether the size
   * was wrong too, so that the size is what gets reported, as before.
   */
  public int skipRest(Object mark, java.util.Set<String> names) {
    JsonStreamContext m = (JsonStreamContext) mark;
    JsonStreamContext outer = m.getParent();
    int n = 0;
    while (true) {
      JsonToken t = next();
      if (t == null) {
        throw new Malformed("unexpected end of input");
      }
      JsonStreamContext ctx = p.getParsingContext();
      if ((t == END_ARRAY || t == END_OBJECT) && ctx == outer) {
        return n;
      }
      if (t == VALUE_STRING) {
        text();
      }
      if (t == JsonToken.FIELD_NAME) {
        if (ctx == m) {
          n++;
          if (names != null) {
            names.add(currentName());
          }
        }
      } else if (m.inArray() && !t.isStructEnd() && (t.isStructStart() ? ctx.getParent() : ctx) == m) {
        n++;
      }
    }
  }

  private String currentName() {
    try {
      return p.currentName();
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  /**
   * An element of the array marked {@code mark} failed with {@code e}, {@code before} elements into it: the array
   * being too long, if it is, is the fault to report.
   */
  public InvalidPayloadException sizeFirst(InvalidPayloadException e, Object mark, int before, int max) {
    int n = before + 1 + skipRest(mark, null);
    return n > max ? new InvalidPayloadException(here(), "has " + n + " elements, at most " + max + " allowed") : e;
  }

  // ---- members: each reads the value of the member whose name was just read

  public String optString(int maxLen) {
    return stringHere(next(), maxLen, true);
  }

  /** Absent, null or empty read as null: the caller reports {@link #missing} at the end of the object. */
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
    long l;
    try {
      if (t == VALUE_NUMBER_INT) {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          throw bad("must be between " + min + " and " + max);
        }
        l = p.getLongValue();
      } else if (t == VALUE_NUMBER_FLOAT) {
        double d = p.getDoubleValue();
        if (d != Math.rint(d) || Math.abs(d) > TWO_53) {
          throw bad("must be an integer");
        }
        l = (long) d;
      } else {
        throw bad("must be a number");
      }
    } catch (IOException e) {
      throw malformed(e);
    }
    if (l < min || l > max) {
      throw bad("must be between " + min + " and " + max);
    }
    return l;
  }

  /** An unsigned 64-bit counter as the long with the same bits, or null when absent. */
  public Long optCounter() {
    JsonToken t = next();
    return t == VALUE_NULL ? null : counterHere(t);
  }

  /** The current array element as a counter (an element may not be null). */
  public long counterAt(JsonToken t) {
    if (t == VALUE_NULL) {
      throw bad("must be a number");
    }
    return counterHere(t);
  }

  private long counterHere(JsonToken t) {
    try {
      if (t == VALUE_NUMBER_INT) {
        if (p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
          long l = p.getLongValue();
          if (l < 0) {
            throw bad(COUNTER);
          }
          return l;
        }
        BigInteger b = p.getBigIntegerValue();
        if (b.signum() < 0 || b.compareTo(TWO_64) >= 0) {
          throw bad("must fit an unsigned 64-bit counter");
        }
        return b.longValue();
      }
      if (t == VALUE_NUMBER_FLOAT) {
        double d = p.getDoubleValue();
        if (d >= 0 && d == Math.rint(d) && d <= TWO_53) {
          return (long) d;
        }
      }
    } catch (IOException e) {
      throw malformed(e);
    }
    throw bad(COUNTER);
  }

  /** A number in [min, max], or null when absent. */
  public Double optDouble(double min, double max) {
    JsonToken t = next();
    return t == VALUE_NULL ? null : doubleHere(t, min, max);
  }

  private double doubleHere(JsonToken t, double min, double max) {
    if (t != VALUE_NUMBER_INT && t != VALUE_NUMBER_FLOAT) {
      throw bad("must be a number");
    }
    double d;
    try {
      d = p.getDoubleValue();
    } catch (IOException e) {
      throw malformed(e);
    }
    if (!Double.isFinite(d) || d < min || d > max) {
      throw bad("must be between " + fmt(min) + " and " + fmt(max));
    }
    return d;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /**
   * Opens an optional object member: true with {@code START_OBJECT} current, false when absent or null.
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

  /** Opens an optional array member: true with {@code START_ARRAY} current, false when absent or null. */
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

  /** An optional array of at most {@code maxSize} objects, each read by {@code reader}; null when absent. */
  public <T> List<T> optList(int maxSize, Reader<T> reader) {
    return optElements(maxSize, t -> {
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

  /** An optional array of at most {@code maxSize} elements, each read from its first token; null when absent. */
  private <T> List<T> optElements(int maxSize, Function<JsonToken, T> element) {
    if (!optArray()) {
      return null;
    }
    Object mark = mark();
    List<T> out = new ArrayList<>();
    for (JsonToken t = next(); t != END_ARRAY; t = next()) {
      if (out.size() == maxSize) {
        throw tooMany(out.size(), maxSize);
      }
      try {
        out.add(element.apply(t));
      } catch (InvalidPayloadException e) {
        throw sizeFirst(e, mark, out.size(), maxSize);
      }
    }
    return out;
  }

  private static Malformed malformed(IOException e) {
    String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    if (m == null) {
      return new Malformed("body is not valid JSON");
    }
    int nl = m.indexOf('\n');
    String first = nl < 0 ? m : m.substring(0, nl);
    return new Malformed(first.length() > 300 ? first.substring(0, 300) : first);
  }
}
