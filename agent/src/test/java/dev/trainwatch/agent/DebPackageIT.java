package dev.trainwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb that {@code mvn package} built (jdeb), read with {@code dpkg-deb} as an operator's apt
 * would: what it installs, with which modes, that it starts nothing, and that the installed command
 * runs the installed jar.
 */
class DebPackageIT {
  private static Path deb;

  @BeforeAll
  static void find() throws IOException {
    assumeTrue(
        onPath("dpkg-deb"),
        "dpkg-deb is not installed: the .deb cannot be inspected here (SKIPPED LOUDLY)");
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      deb =
          files
              .filter(p -> p.getFileName().toString().matches("trainwatch-agent_.*_all\\.deb"))
              .findFirst()
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "no trainwatch-agent_*_all.deb in agent/target: did package run?"));
    }
  }

  private static boolean onPath(String tool) {
    return Stream.of(System.getenv("PATH").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
  }

  private static String run(Path dir, List<String> cmd, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s: %s", cmd, out).isZero();
    return out;
  }

  /** {@code dpkg-deb <option> <the .deb> [into]}. */
  private static String dpkgDeb(String option, String... into) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("dpkg-deb", option, deb.toString()));
    Collections.addAll(cmd, into);
    return run(null, cmd, Map.of());
  }

  @Test
  void controlFieldsNameThePackageAndItsJavaDependency() throws Exception {
    assertThat(dpkgDeb("-f").lines())
        .contains("Package: trainwatch-agent", "Architecture: all")
        .anyMatch(l -> l.startsWith("Version: 0.1.0"))
        .anyMatch(
            l ->
                l.startsWith(
                    "Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless"));
  }

  @Test
  void installsTheJarTheCommandTheUnitTheSettingsAndTheDocs() throws Exception {
    String listing = dpkgDeb("-c");
    assertThat(listing)
        .containsPattern(
            "-rw-r--r-- root/root +\\d+ .* \\./usr/share/trainwatch-agent/trainwatch-agent\\.jar")
        .containsPattern("-rwxr-xr-x root/root .* \\./usr/bin/trainwatch-agent\n")
        .containsPattern(
            "-rw-r--r-- root/root .* \\./lib/systemd/system/trainwatch-agent\\.service")
        // It will hold the token: root only.
        .containsPattern("-rw------- root/root .* \\./etc/trainwatch-agent/agent\\.env")
        .containsPattern("\\./usr/share/doc/trainwatch-agent/agent\\.md");
    assertThat(listing.lines().filter(l -> !l.endsWith("/"))).hasSize(5);
  }

  @Test
  void startsNothingOnInstallAndKeepsTheOperatorsSettings(@TempDir Path tmp) throws Exception {
    dpkgDeb("-e", tmp.resolve("control").toString());
    try (Stream<Path> files = Files.list(tmp.resolve("control"))) {
      // No postinst, so no `systemctl enable` or `start`: the operator enables the unit when
      // agent.env is filled in.
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("conffiles", "control", "md5sums");
    }
    assertThat(Files.readString(tmp.resolve("control").resolve("conffiles")).strip())
        .isEqualTo("/etc/trainwatch-agent/agent.env");
  }

  @Test
  void theUnitIsHardenedAndKeepsItsSpoolInAStateDirectory(@TempDir Path tmp) throws Exception {
    dpkgDeb("-x", tmp.toString());
    List<String> unit =
        Files.readAllLines(tmp.resolve("lib/systemd/system/trainwatch-agent.service"));
    assertThat(unit)
        .contains(
            "DynamicUser=yes",
            "ProtectSystem=strict",
            "ProtectHome=yes",
            "PrivateTmp=yes",
            "NoNewPrivileges=yes",
            "CapabilityBoundingSet=",
            "StateDirectory=trainwatch-agent",
            "StateDirectoryMode=0700",
            "Restart=on-failure",
            "EnvironmentFile=/etc/trainwatch-agent/agent.env",
            "ExecStart=/usr/bin/trainwatch-agent",
            "WantedBy=multi-user.target");
    // Every setting in the example is commented out: nothing takes effect until the operator writes
    // it.
    assertThat(Files.readAllLines(tmp.resolve("etc/trainwatch-agent/agent.env")))
        .allMatch(l -> l.isBlank() || l.startsWith("#"));
  }

  @Test
  void theInstalledCommandRunsTheInstalledJar(@TempDir Path tmp) throws Exception {
    dpkgDeb("-x", tmp.toString());
    Path jar = tmp.resolve("usr/share/trainwatch-agent/trainwatch-agent.jar");
    String out =
        run(
            null,
            List.of("sh", tmp.resolve("usr/bin/trainwatch-agent").toString(), "--version"),
            Map.of(
                "TRAINWATCH_AGENT_JAR",
                jar.toString(),
                "JAVA",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    assertThat(out.strip()).isEqualTo("trainwatch-agent " + AgentVersion.get());
  }

  @Test
  void theJarCarriesNoServerParts(@TempDir Path tmp) throws Exception {
    dpkgDeb("-x", tmp.toString());
    try (JarFile jar =
        new JarFile(tmp.resolve("usr/share/trainwatch-agent/trainwatch-agent.jar").toFile())) {
      List<String> names = jar.stream().map(e -> e.getName()).toList();
      assertThat(names)
          .contains("dev/trainwatch/agent/AgentMain.class", "oshi/SystemInfo.class")
          .noneMatch(
              n ->
                  n.startsWith("com/hazelcast/")
                      || n.startsWith("org/postgresql/")
                      || n.startsWith("io/zonky/")
                      || n.startsWith("io/vertx/ext/web/")
                      || n.startsWith("io/vertx/pgclient/")
                      || n.startsWith("org/flywaydb/")
                      || n.startsWith("dev/trainwatch/gateway/")
                      || n.startsWith("dev/trainwatch/history/"));
    }
  }
}
