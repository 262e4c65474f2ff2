package dev.trainwatch.launcher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No main code depends on a library's {@code impl} or {@code internal} packages (a library upgrade
 * may move or drop them without notice) except the uses listed here, each with why it is worth the
 * risk. Checked on the bytecode with ArchUnit, so a fully qualified name in the code counts as much
 * as an import. A new use fails this test until it is listed; a listed use that went away fails it
 * too, so the list stays true.
 *
 * <p>Every product module but the agent is on this module's class path; the agent, built after the
 * launcher, has the same fence with an empty list ({@code AgentInternalApiFenceTest}).
 */
class InternalApiFenceTest {
  /** A package segment named impl or internal, in any library. */
  static final Pattern INTERNAL = Pattern.compile("(^|.*\\.)(impl|internal)(\\..*|$)");

  /**
   * Top-level class → internal types it may use (nested classes and lambdas count as their
   * top-level class).
   */
  private static final Map<String, Set<String>> ALLOWED =
      Map.of(
          // A heap buffer's backing array is parsed in place: copying every ~20 KB ingest body cost
          // measurable throughput (docs/benchmarks.md, issue 4). Falls back to getBytes() for any
          // other Buffer.
          "dev.trainwatch.bus.JsonCursor", Set.of("io.vertx.core.internal.buffer.BufferInternal"),
          // Postgres array_send bytes are read straight from the row's ByteBuf into primitive
          // accumulators (issue 6).
          "dev.trainwatch.history.query.Agg",
              Set.of("io.vertx.core.internal.buffer.BufferInternal"),
          // The streamed history reply is wrapped as a Buffer without a copy (issue 6).
          "dev.trainwatch.history.query.Points",
              Set.of("io.vertx.core.internal.buffer.BufferInternal"),
          // Shared, pre-encoded WebSocket frames are written to the channel directly (issue 7)
          // through WebSocketInternal, which has the same method in 5.0 and 5.1 (the impl class it
          // replaced moved in 5.1); the public-API fallback runs when it is absent or switched off
          // (WebSocketChannelsPublicApiTest). Measured: the public API costs 3.5-5x p99 at 1,000
          // sockets (docs/benchmarks.md, issue 17).
          "dev.trainwatch.gateway.WsSession",
              Set.of("io.vertx.core.internal.http.WebSocketInternal"));

  /**
   * The modules whose classes this test must see, so that one dropped from the class path cannot
   * pass unseen.
   */
  private static final List<String> MODULE_PACKAGES =
      List.of(
          "dev.trainwatch.bus",
          "dev.trainwatch.collector",
          "dev.trainwatch.ingest",
          "dev.trainwatch.rates",
          "dev.trainwatch.history",
          "dev.trainwatch.gateway",
          "dev.trainwatch.alerts",
          "dev.trainwatch.launcher");

  static final DescribedPredicate<JavaClass> INTERNAL_OF_A_LIBRARY =
      DescribedPredicate.describe(
          "in an impl or internal package of a library",
          c ->
              !c.getPackageName().startsWith("dev.trainwatch")
                  && INTERNAL.matcher(c.getPackageName()).matches());

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.trainwatch");

  private static String topLevel(JavaClass c) {
    String name = c.getName();
    int nested = name.indexOf('$');
    return nested < 0 ? name : name.substring(0, nested);
  }

  @Test
  void everyProductModuleIsImported() {
    Set<String> packages = new TreeSet<>();
    MAIN.forEach(c -> packages.add(c.getPackageName()));
    for (String module : MODULE_PACKAGES) {
      assertThat(packages)
          .as("classes of " + module)
          .anyMatch(p -> p.equals(module) || p.startsWith(module + "."));
    }
  }

  private static final ArchRule UNLISTED_USE =
      noClasses()
          .that(
              DescribedPredicate.describe(
                  "are not on the allow-list", (JavaClass c) -> !ALLOWED.containsKey(topLevel(c))))
          .should()
          .dependOnClassesThat(INTERNAL_OF_A_LIBRARY)
          .because(
              "a library upgrade may move or drop its internals; list a use in ALLOWED with why");

  @Test
  void onlyListedClassesUseInternalApis() {
    UNLISTED_USE.check(MAIN);
  }

  /**
   * Reaches into Vert.x's internals by a fully qualified name, with no import: what the fence must
   * catch.
   */
  static final class Offender {
    int readable(Buffer b) {
      return ((BufferInternal) b).getByteBuf().readableBytes();
    }
  }

  @Test
  void theFenceCatchesAnInlineQualifiedName() {
    EvaluationResult r =
        UNLISTED_USE.evaluate(new ClassFileImporter().importClasses(Offender.class));
    assertThat(r.hasViolation()).isTrue();
    assertThat(r.getFailureReport().toString())
        .contains("io.vertx.core.internal.buffer.BufferInternal");
  }

  @Test
  void listedClassesUseOnlyTheirListedInternals() {
    classes()
        .that(
            DescribedPredicate.describe(
                "are on the allow-list", (JavaClass c) -> ALLOWED.containsKey(topLevel(c))))
        .should(
            new ArchCondition<>("use only the internal types listed for them") {
              @Override
              public void check(JavaClass c, ConditionEvents events) {
                for (Dependency d : c.getDirectDependenciesFromSelf()) {
                  if (INTERNAL_OF_A_LIBRARY.test(d.getTargetClass())
                      && !ALLOWED.get(topLevel(c)).contains(d.getTargetClass().getName())) {
                    events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                  }
                }
              }
            })
        .check(MAIN);
  }

  /** A use that went away leaves a stale licence behind; the list must say what is true. */
  @Test
  void everyListedUseIsStillThere() {
    Map<String, Set<String>> used = new TreeMap<>();
    for (JavaClass c : MAIN) {
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        if (INTERNAL_OF_A_LIBRARY.test(d.getTargetClass())) {
          used.computeIfAbsent(topLevel(c), k -> new TreeSet<>()).add(d.getTargetClass().getName());
        }
      }
    }
    assertThat(used)
        .isEqualTo(
            new TreeMap<>(ALLOWED)
                .entrySet().stream()
                    .collect(
                        TreeMap::new,
                        (m, e) -> m.put(e.getKey(), new TreeSet<>(e.getValue())),
                        Map::putAll));
  }
}
