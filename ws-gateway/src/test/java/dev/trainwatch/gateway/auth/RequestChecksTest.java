package dev.trainwatch.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Host, Origin and Fetch-Metadata decisions, case by case. */
class RequestChecksTest {
  static final Set<String> HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "monitor.example.com");

  @Test
  void hosts() {
    assertThat(RequestChecks.hostAllowed("127.0.0.1:8080", HOSTS)).isTrue();
    assertThat(RequestChecks.hostAllowed("LOCALHOST", HOSTS)).isTrue();
    assertThat(RequestChecks.hostAllowed("[::1]:8080", HOSTS)).isTrue();
    assertThat(RequestChecks.hostAllowed("monitor.example.com", HOSTS)).isTrue();
    assertThat(RequestChecks.hostAllowed("monitor.example.com.evil.test", HOSTS)).isFalse();
    assertThat(RequestChecks.hostAllowed("127.0.0.1.nip.io", HOSTS)).isFalse();
    assertThat(RequestChecks.hostAllowed("", HOSTS)).isFalse();
    assertThat(RequestChecks.hostAllowed(null, HOSTS)).isFalse();
  }

  @Test
  void anIpv6BindAddressIsAcceptedAsBrowsersWriteIt() {
    var s =
        AccessSettings.from(
            new JsonObject()
                .put("http", new JsonObject().put("host", "2001:db8::5").put("port", 8080)));
    assertThat(RequestChecks.hostAllowed("[2001:db8::5]:8080", s.allowedHosts())).isTrue();
    assertThat(RequestChecks.hostAllowed("[2001:db8::6]:8080", s.allowedHosts())).isFalse();
  }

  @Test
  void origins() {
    String own = RequestChecks.ownOrigin("http", "127.0.0.1:8080");
    assertThat(own).isEqualTo("http://127.0.0.1:8080");
    assertThat(RequestChecks.ownOrigin("https", "Monitor.Example.com:443"))
        .isEqualTo("https://monitor.example.com");
    assertThat(RequestChecks.originAllowed("http://127.0.0.1:8080", own, Set.of())).isTrue();
    assertThat(RequestChecks.originAllowed("http://127.0.0.1:8081", own, Set.of())).isFalse();
    assertThat(RequestChecks.originAllowed("https://127.0.0.1:8080", own, Set.of())).isFalse();
    assertThat(RequestChecks.originAllowed("null", own, Set.of("null"))).isFalse();
    assertThat(
            RequestChecks.originAllowed(
                "https://grafana.example.com", own, Set.of("https://grafana.example.com")))
        .isTrue();
  }

  @Test
  void stateChanges() {
    String own = "http://127.0.0.1:8080";
    assertThat(RequestChecks.stateChangeAllowed("same-origin", own, own, Set.of(), false)).isTrue();
    assertThat(RequestChecks.stateChangeAllowed(null, own, own, Set.of(), false)).isTrue();
    assertThat(RequestChecks.stateChangeAllowed("same-origin", null, own, Set.of(), false))
        .isTrue();
    assertThat(RequestChecks.stateChangeAllowed("cross-site", own, own, Set.of(), true)).isFalse();
    assertThat(RequestChecks.stateChangeAllowed("same-site", own, own, Set.of(), false)).isFalse();
    assertThat(RequestChecks.stateChangeAllowed(null, "https://evil.example", own, Set.of(), true))
        .isFalse();
    assertThat(RequestChecks.stateChangeAllowed(null, null, own, Set.of(), false))
        .as("cookie, no headers")
        .isFalse();
    assertThat(RequestChecks.stateChangeAllowed(null, null, own, Set.of(), true))
        .as("a script with a token")
        .isTrue();
    assertThat(
            RequestChecks.stateChangeAllowed(
                "same-site",
                "https://grafana.example.com",
                own,
                Set.of("https://grafana.example.com"),
                false))
        .as("a configured origin")
        .isTrue();
  }

  @Test
  void afterSignInOnlyOurOwnPaths() {
    assertThat(LoginRoutes.safeNext("/?server=demo")).isEqualTo("/?server=demo");
    for (String evil :
        new String[] {
          null,
          "",
          "https://evil.example",
          "//evil.example",
          "/\\evil.example",
          "\\\\evil.example",
          "/ok\r\nSet-Cookie: a=b",
          "javascript:alert(1)",
          "/" + "a".repeat(600)
        }) {
      assertThat(LoginRoutes.safeNext(evil)).as(String.valueOf(evil)).isEqualTo("/");
    }
  }
}
