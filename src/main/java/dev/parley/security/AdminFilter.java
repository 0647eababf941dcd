package dev.parley.security;

import dev.parley.api.ErrorMappers;
import dev.parley.config.ParleyConfig;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.logging.Logger;

/** Lets admin requests through only with the admin bearer token, compared in constant time. */
@Provider
@AdminOnly
@Priority(Priorities.AUTHENTICATION)
public class AdminFilter implements ContainerRequestFilter {

    private static final Logger LOG = Logger.getLogger(AdminFilter.class.getName());

    @Inject
    ParleyConfig config;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!admits(config, request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            request.abortWith(unauthorized());
            return;
        }
        LOG.info(() -> "Admin " + request.getMethod() + " /" + request.getUriInfo().getPath());
    }

    /** Whether an {@code Authorization} header carries the admin token; for resources that are admin-only sometimes. */
    public static boolean admits(ParleyConfig config, String authorization) {
        String token = Bearer.token(authorization);
        return token != null && MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8), config.adminToken.getBytes(StandardCharsets.UTF_8));
    }

    public static Response unauthorized() {
        return Response.fromResponse(
                        ErrorMappers.error(401, "unauthorized", "admin bearer token missing or wrong"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}
