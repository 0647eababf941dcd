package dev.parley.security;

import dev.parley.config.ParleyConfig;
import dev.parley.signaling.Connections;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.logging.Logger;

/**
 * Refuses a signaling handshake with HTTP 429 when its client address already holds
 * {@code parley.ws.max-connections-per-address} open sockets, before any session exists, so one client cannot
 * exhaust the server's sockets and memory. ({@link Connections} closes, 1008, the few that race past this.)
 */
@WebFilter(urlPatterns = "/signal", asyncSupported = true)
public class ConnectionLimitFilter extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(ConnectionLimitFilter.class.getName());

    @Inject
    ParleyConfig config;
    @Inject
    Connections connections;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (connections.openFrom(request.getRemoteAddr()) < config.wsMaxConnectionsPerAddress) {
            chain.doFilter(request, response);
            return;
        }
        LOG.fine("Refused a signaling handshake: too many connections from one address");
        response.setStatus(429);
        response.setContentType("application/json");
        response.getWriter().write("{\"code\":\"too-many-connections\",\"message\":\"this address holds "
                + config.wsMaxConnectionsPerAddress + " signaling connections already\"}");
    }
}
