package dev.trainwatch.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The numeric rules at their edges, and the two readers that apply them giving the same answer for
 * the same text.
 */
class JsonScalarsTest {
  static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
  static final long TWO_53 = 1L << 53;

  static void fault(Runnable rule, String reason) {
    assertThatThrownBy(rule::run).isInstanceOf(JsonScalars.Fault.class).hasMessage(reason);
  }

  @Test
  void countersAreUnsigned64Bit() {
    assertThat(JsonScalars.counter(0L)).isEqualTo(0L);
    assertThat(JsonScalars.counter(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    fault(() -> JsonScalars.counter(-1L), JsonScalars.COUNTER);
    // Past Long.MAX_VALUE the parser gives a BigInteger; the counter is the long with the same
    // bits.
    assertThat(JsonScalars.counter(BigInteger.ONE.shiftLeft(63))).isEqualTo(Long.MIN_VALUE);
    assertThat(JsonScalars.counter(TWO_64.subtract(BigInteger.ONE))).isEqualTo(-1L);
    assertThat(Long.toUnsignedString(JsonScalars.counter(TWO_64.subtract(BigInteger.ONE))))
        .isEqualTo("18446744073709551615");
    fault(() -> JsonScalars.counter(TWO_64), JsonScalars.COUNTER_RANGE);
    fault(() -> JsonScalars.counter(BigInteger.ONE.negate()), JsonScalars.COUNTER_RANGE);
    fault(
        () -> JsonScalars.counter(BigInteger.ONE.shiftLeft(63).negate().subtract(BigInteger.ONE)),
        JsonScalars.COUNTER_RANGE);
  }

  @Test
  void aCounterWrittenAsADoubleMustBeWholeNonNegativeAndExact() {
    assertThat(JsonScalars.counter(0.0)).isEqualTo(0L);
    assertThat(JsonScalars.counter(-0.0)).isEqualTo(0L);
    assertThat(JsonScalars.counter(1e3)).isEqualTo(1000L);
    assertThat(JsonScalars.counter((double) TWO_53)).isEqualTo(TWO_53);
    fault(
        () -> JsonScalars.counter((double) (TWO_53 + 2)),
        JsonScalars.COUNTER); // the next double after 2^53
    fault(() -> JsonScalars.counter(1.5), JsonScalars.COUNTER);
    fault(() -> JsonScalars.counter(-1.0), JsonScalars.COUNTER);
    fault(() -> JsonScalars.counter(Double.POSITIVE_INFINITY), JsonScalars.COUNTER);
    fault(() -> JsonScalars.counter(Double.NaN), JsonScalars.COUNTER);
  }

  @Test
  void integersInARange() {
    assertThat(JsonScalars.integer(0L, 0, 1023)).isEqualTo(0L);
    assertThat(JsonScalars.integer(1023L, 0, 1023)).isEqualTo(1023L);
    fault(() -> JsonScalars.integer(1024L, 0, 1023), "must be between 0 and 1023");
    fault(() -> JsonScalars.integer(-1L, 0, 1023), "must be between 0 and 1023");
    assertThat(JsonScalars.integer(Long.MAX_VALUE, 0, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    assertThat(JsonScalars.integerBeyondLong(0, Long.MAX_VALUE))
        .hasMessage("must be between 0 and 9223372036854775807");
  }

  @Test
  void anIntegerWrittenAsADoubleMustBeWholeAndExact() {
    assertThat(JsonScalars.integer(3.0, 0, 10)).isEqualTo(3L);
    assertThat(JsonScalars.integer((double) TWO_53, 0, Long.MAX_VALUE)).isEqualTo(TWO_53);
    assertThat(JsonScalars.integer((double) -TWO_53, Long.MIN_VALUE + 1, 0)).isEqualTo(-TWO_53);
    fault(() -> JsonScalars.integer((double) (TWO_53 + 2), 0, Long.MAX_VALUE), JsonScalars.INTEGER);
    fault(() -> JsonScalars.integer(2.5, 0, 10), JsonScalars.INTEGER);
    fault(() -> JsonScalars.integer(1e300, 0, Long.MAX_VALUE), JsonScalars.INTEGER);
    fault(
        () -> JsonScalars.integer(Double.POSITIVE_INFINITY, 0, Long.MAX_VALUE),
        JsonScalars.INTEGER);
    fault(
        () -> JsonScalars.integer(11.0, 0, 10),
        "must be between 0 and 10"); // whole, then the range
  }

  @Test
  void numbersAreFiniteAndInRange() {
    assertThat(JsonScalars.number(-60, -60, 200)).isEqualTo(-60.0);
    assertThat(JsonScalars.number(200, -60, 200)).isEqualTo(200.0);
    fault(() -> JsonScalars.number(200.5, -60, 200), "must be between -60 and 200");
    fault(() -> JsonScalars.number(1e14, 0, 1e13), "must be between 0 and 10000000000000");
    fault(() -> JsonScalars.number(2, 0.5, 1.5), "must be between 0.5 and 1.5");
    fault(
        () -> JsonScalars.number(Double.POSITIVE_INFINITY, 0, 1e13),
        "must be between 0 and 10000000000000");
    fault(() -> JsonScalars.number(Double.NaN, 0, 100), "must be between 0 and 100");
  }

  // ---- the same text through the tree reader (Json) and the stream reader (JsonCursor)

  static final List<String> TEXTS =
      List.of(
          "0",
          "1",
          "-1",
          "1023",
          "1024",
          "9223372036854775807",
          "9223372036854775808",
          "18446744073709551615",
          "18446744073709551616",
          "-9223372036854775809",
          "1.5",
          "2.0",
          "1e3",
          "-0.0",
          "9007199254740992",
          "9007199254740993",
          "9007199254740992.0",
          "9007199254740994.0",
          "1e16",
          "1e300",
          "1e999",
          "-1e999",
          "100",
          "100.0001",
          "-60",
          "-60.5",
          "\"7\"",
          "true",
          "{}",
          "[]");

  /** A value or the fault, as field + reason, for comparing the readers. */
  static Object outcome(Function<String, Object> reader, String text) {
    try {
      return reader.apply(text);
    } catch (InvalidPayloadException e) {
      return e.field() + ": " + e.reason();
    }
  }

  static Object tree(String text, Function<JsonObject, Object> rule) {
    return rule.apply(new JsonObject("{\"v\":" + text + "}"));
  }

  static Object stream(String text, JsonCursor.Reader<Object> rule) {
    return JsonCursor.readObject(
        Buffer.buffer("{\"v\":" + text + "}"),
        "",
        c -> {
          c.nextKey();
          Object v = rule.read(c);
          c.nextKey();
          return v;
        });
  }

  static void same(Function<JsonObject, Object> tree, JsonCursor.Reader<Object> stream) {
    for (String text : TEXTS) {
      Object t = outcome(x -> tree(x, tree), text);
      Object s = outcome(x -> stream(x, stream), text);
      assertThat(s).as(text).isEqualTo(t);
    }
  }

  @Test
  void bothReadersGiveTheSameCounters() {
    same(o -> Json.optCounter(o, "", "v"), JsonCursor::optCounter);
    assertThat(stream("18446744073709551615", JsonCursor::optCounter)).isEqualTo(-1L);
    assertThat(outcome(x -> stream(x, JsonCursor::optCounter), "18446744073709551616"))
        .isEqualTo("v: " + JsonScalars.COUNTER_RANGE);
    // The parser rounds 2^53 + 1 written with a fraction to the double 2^53: the rule only sees
    // that double.
    assertThat(stream("9007199254740993.0", JsonCursor::optCounter)).isEqualTo(TWO_53);
  }

  @Test
  void bothReadersGiveTheSameIntegers() {
    same(o -> Json.optLong(o, "", "v", 0, 1023), c -> c.optLong(0, 1023));
    same(o -> Json.optLong(o, "", "v", 0, Long.MAX_VALUE), c -> c.optLong(0, Long.MAX_VALUE));
    assertThat(stream("9007199254740993", c -> c.optLong(0, Long.MAX_VALUE))).isEqualTo(TWO_53 + 1);
    assertThat(outcome(x -> stream(x, c -> c.optLong(0, Long.MAX_VALUE)), "9007199254740994.0"))
        .isEqualTo("v: " + JsonScalars.INTEGER);
  }

  @Test
  void bothReadersGiveTheSameNumbers() {
    same(o -> Json.optDouble(o, "", "v", 0, 100), c -> c.optDouble(0, 100));
    same(o -> Json.optDouble(o, "", "v", -60, 200), c -> c.optDouble(-60, 200));
    // A huge exponent parses to infinity, which no range holds.
    assertThat(outcome(x -> stream(x, c -> c.optDouble(0, 1e13)), "1e999"))
        .isEqualTo("v: must be between 0 and 10000000000000");
  }
}
