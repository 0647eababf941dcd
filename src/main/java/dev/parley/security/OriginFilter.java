package dev.parley.security;

import dev.parley.config.ParleyConfig;
import dev.parley.signaling.HandshakeConfigurator;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Refuses a signaling handshake from a browser page of another origin with HTTP 403, before any WebSocket
 * session exists (a page elsewhere could otherwise drive a user's browser into rooms). Without
 * {@code parley.ws.allowed-origins}, only the server's own origin (the Host the browser asked for) is allowed.
 * Requests without an Origin header come from non-browser clients and pass.
 */
@WebFilter(urlPatterns = "/signal", asyncSupported = true)
public class OriginFilter extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(OriginFilter.class.getName());

    @Inject
    ParleyConfig config;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String origin = request.getHeader("Origin");
        if (origin == null || allowed(origin, request.getHeader("Host"))) {
            chain.doFilter(new StampedAddress(request), response);
            return;
        }
        LOG.info(() -> "Refused a signaling handshake from origin " + origin);
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType("application/json");
        response.getWriter().write("{\"code\":\"forbidden-origin\",\"message\":\"this origin may not open a signaling connection\"}");
    }

    /** Hands the socket's remote address to the handshake as a header no client can forge. */
    private static final class StampedAddress extends HttpServletRequestWrapper {
        private final String address;

        StampedAddress(HttpServletRequest request) {
            super(request);
            this.address = request.getRemoteAddr();
        }

        @Override
        public String getHeader(String name) {
            return HandshakeConfigurator.ADDRESS_HEADER.equalsIgnoreCase(name) ? address : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return HandshakeConfigurator.ADDRESS_HEADER.equalsIgnoreCase(name)
                    ? Collections.enumeration(List.of(address)) : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = new ArrayList<>();
            for (Enumeration<String> e = super.getHeaderNames(); e.hasMoreElements(); ) {
                String name = e.nextElement();
                if (!HandshakeConfigurator.ADDRESS_HEADER.equalsIgnoreCase(name)) {
                    names.add(name);
                }
            }
            names.add(HandshakeConfigurator.ADDRESS_HEADER);
            return Collections.enumeration(names);
        }
    }

    boolean allowed(String origin, String host) {
        if (!config.allowedOrigins.isEmpty()) {
            return config.allowedOrigins.stream().anyMatch(o -> o.equals("*") || o.equalsIgnoreCase(origin));
        }
        return sameHost(origin, host);
    }

    /** Same origin by host and port; the scheme is left out because a TLS-terminating proxy changes it. */
    static boolean sameHost(String origin, String host) {
        if (host == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            if (uri.getHost() == null) {
                return false;
            }
            int defaultPort = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            String originHost = uri.getHost().toLowerCase(Locale.ROOT) + ":" + (uri.getPort() < 0 ? defaultPort : uri.getPort());
            String requested = host.toLowerCase(Locale.ROOT);
            if (!requested.contains(":") || requested.endsWith("]")) {
                requested = requested + ":" + defaultPort;
            }
            return originHost.equals(requested);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
