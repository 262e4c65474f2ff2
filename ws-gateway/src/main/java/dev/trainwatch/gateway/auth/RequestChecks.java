package dev.trainwatch.gateway.auth;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * The header checks every browser-reachable request goes through, as pure functions
 * (RequestChecksTest covers them case by case; Guard applies them).
 */
public final class RequestChecks {
  private RequestChecks() {}

  /** Host name part of a {@code Host} header value, lower-case; IPv6 keeps its brackets. */
  static String hostName(String hostHeader) {
    if (hostHeader == null) {
      return null;
    }
    String h = hostHeader.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(0, end + 1);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  /**
   * DNS rebinding defence: the browser's idea of the host must be one of ours. A missing Host is
   * refused too.
   */
  public static boolean hostAllowed(String hostHeader, Set<String> allowed) {
    String h = hostName(hostHeader);
    return h != null && !h.isEmpty() && allowed.contains(h);
  }

  /** {@code scheme://host[:port]} with the default port left out, as browsers write an Origin. */
  static String origin(String scheme, String host, int port) {
    String s = scheme.toLowerCase(Locale.ROOT);
    boolean dflt =
        port < 0 || (s.equals("http") && port == 80) || (s.equals("https") && port == 443);
    return s + "://" + host.toLowerCase(Locale.ROOT) + (dflt ? "" : ":" + port);
  }

  /**
   * This server's own origin as the browser sees it: the request's scheme and (already checked)
   * Host.
   */
  static String ownOrigin(String scheme, String hostHeader) {
    try {
      URI u = URI.create(scheme + "://" + hostHeader.trim());
      return origin(scheme, u.getHost(), u.getPort());
    } catch (IllegalArgumentException | NullPointerException e) {
      return null;
    }
  }

  /**
   * An {@code Origin} header is acceptable when it is ours or configured. {@code null} (the literal
   * a sandboxed frame or a file: page sends) never is.
   */
  public static boolean originAllowed(String origin, String own, Set<String> configured) {
    if (origin == null || origin.equals("null")) {
      return false;
    }
    String o = origin.trim().toLowerCase(Locale.ROOT);
    return o.equals(own) || configured.contains(o);
  }

  /**
   * CSRF for a state-changing request. Browsers send Fetch Metadata and Origin on every such
   * request; anything cross-site is refused unless its origin is configured. A request with neither
   * header is not from a browser and passes only when it did not ride on a cookie ({@code bearer}).
   */
  public static boolean stateChangeAllowed(
      String secFetchSite, String origin, String own, Set<String> configured, boolean bearer) {
    if (origin != null && configured.contains(origin.trim().toLowerCase(Locale.ROOT))) {
      // An origin the operator named (auth.allowed_origins) is trusted although the browser calls
      // it cross-site.
      return true;
    }
    if (secFetchSite != null
        && !secFetchSite.equals("same-origin")
        && !secFetchSite.equals("none")) {
      return false;
    }
    if (origin != null) {
      return originAllowed(origin, own, configured);
    }
    return bearer || "same-origin".equals(secFetchSite);
  }
}
