package dev.trainwatch.gateway;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;

/**
 * A route added to mock-oauth2-server: while {@link #NEXT} holds a body, the next token request
 * gets it instead of the provider's own answer (once). This is how a test hands the gateway an ID
 * token the provider would never issue for this flow: another audience, another issuer, expired, or
 * with a broken signature.
 */
final class ForgedTokenRoute implements Route {
  static final AtomicReference<String> NEXT = new AtomicReference<>();

  @Override
  public boolean match(OAuth2HttpRequest request) {
    return "POST".equals(request.getMethod())
        && request.getUrl().encodedPath().endsWith("/token")
        && NEXT.get() != null;
  }

  @Override
  public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
    String body = NEXT.getAndSet(null);
    return new OAuth2HttpResponse(
        okhttp3.Headers.of("content-type", "application/json"),
        200,
        body,
        body.getBytes(StandardCharsets.UTF_8));
  }
}
