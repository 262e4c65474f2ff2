package dev.trainwatch.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** docs/security.md's role table is {@link Role}: same roles, same permissions, same columns. */
class RoleTableDocTest {
  @Test
  void theDocumentedTableIsTheCode() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("..", "docs", "security.md"));
    String header = lines.stream().filter(l -> l.startsWith("| role |")).findFirst().orElseThrow();
    List<String> columns = cells(header).subList(1, cells(header).size());
    assertThat(columns)
        .containsExactlyElementsOf(
            Arrays.stream(Permission.values())
                .map(p -> p.name().toLowerCase(Locale.ROOT))
                .toList());
    for (Role r : Role.values()) {
      String row =
          lines.stream()
              .filter(l -> l.startsWith("| `" + r.id() + "` |"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("docs/security.md has no row for " + r.id()));
      List<String> c = cells(row);
      for (int i = 0; i < columns.size(); i++) {
        Permission p = Permission.valueOf(columns.get(i).toUpperCase(Locale.ROOT));
        assertThat(c.get(i + 1))
            .as(r.id() + " / " + columns.get(i))
            .isEqualTo(r.can(p) ? "yes" : "—");
      }
    }
  }

  private static List<String> cells(String row) {
    String inner = row.trim().substring(1, row.trim().length() - 1);
    return Arrays.stream(inner.split("\\|")).map(String::trim).toList();
  }
}
