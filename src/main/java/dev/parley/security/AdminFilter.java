package dev.parley.security;

import dev.parley.api.ErrorMappers;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lets admin requests through as {@link AdminGate} decides: 401 without the admin token, 429 for an address that
 * keeps guessing. Each refusal is logged; changes at INFO, reads (the status page polls every 5 s) at FINE.
 */
@Provider
@AdminOnly
@Priority(Priorities.AUTHENTICATION)
public class AdminFilter implements ContainerRequestFilter {

    private static final Logger LOG = Logger.getLogger(AdminFilter.class.getName());

    @Inject
    AdminGate gate;
    @Context
    HttpServletRequest http;

    @Override
    public void filter(ContainerRequestContext request) {
        String address = http.getRemoteAddr();
        String what = request.getMethod() + " /" + request.getUriInfo().getPath();
        AdminGate.Verdict verdict = gate.check(address, request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (verdict == AdminGate.Verdict.ADMITTED) {
            LOG.log(request.getMethod().equals("GET") ? Level.FINE : Level.INFO, () -> "Admin " + what);
            return;
        }
        if (verdict == AdminGate.Verdict.REFUSED) {
            LOG.info(() -> "Refused admin " + what + " from " + address + ": bearer token missing or wrong");
        }
        request.abortWith(refusal(verdict));
    }

    /** The answer to a request the gate did not admit (401, or 429 for an address that kept guessing); null if admitted. */
    public static Response refusal(AdminGate.Verdict verdict) {
        return switch (verdict) {
            case ADMITTED -> null;
            case REFUSED -> unauthorized();
            case THROTTLED -> throttled();
        };
    }

    /** For an address that kept guessing the token (see {@link AdminGate}). */
    public static Response throttled() {
        return Response.fromResponse(ErrorMappers.error(429, "rate-limited",
                "too many refused admin requests from this address; retry in a minute"))
                .header(HttpHeaders.RETRY_AFTER, 60).build();
    }

    public static Response unauthorized() {
        return Response.fromResponse(
                        ErrorMappers.error(401, "unauthorized", "admin bearer token missing or wrong"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}
