package dev.parley.api;

import static dev.parley.api.JsonP.JSON;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Every failed request answers {@code {"code","message"}}: never a stack trace, never an HTML error page. */
public final class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class.getName());

    private ErrorMappers() {
    }

    public static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(JSON.createObjectBuilder().add("code", code).add("message", message).build().toString())
                .build();
    }

    @Provider
    public static class Refused implements ExceptionMapper<ApiException> {
        @Override
        public Response toResponse(ApiException e) {
            Response response = error(e.status, e.code, e.getMessage());
            return e.retryAfter <= 0 ? response
                    : Response.fromResponse(response).header("Retry-After", e.retryAfter).build();
        }
    }

    /** The runtime's own refusals (unknown path, wrong method, unsupported media type...). */
    @Provider
    public static class Http implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status >= 500) {
                LOG.log(Level.SEVERE, "Request failed", e);
                return error(status, "internal-error", "the server could not complete the request");
            }
            String code = switch (status) {
                case 404 -> "not-found";
                case 405 -> "method-not-allowed";
                case 406 -> "not-acceptable";
                case 415 -> "unsupported-media-type";
                default -> "bad-request";
            };
            Response.StatusType info = e.getResponse().getStatusInfo();
            return error(status, code, info.getReasonPhrase() == null ? "request refused" : info.getReasonPhrase());
        }
    }

    /** The database did not answer: the request may work again later, nothing was half-done. */
    @Provider
    public static class DatabaseDown implements ExceptionMapper<java.sql.SQLException> {
        @Override
        public Response toResponse(java.sql.SQLException e) {
            return databaseFailed(e);
        }
    }

    /**
     * A database request that failed: the database refusing a value the client sent (SQLState class 22, data
     * exception: a NUL character PostgreSQL does not store, a value too long for its column) is the client's 400;
     * anything else is taken as the database being unreachable, 503 with a retry.
     */
    static Response databaseFailed(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                // Logged in full: should a value the server made itself ever be refused, that is a bug to see.
                LOG.log(Level.WARNING, "The database refused a value of a request", e);
                return error(400, "bad-request", "the request holds a value the database cannot store or compare");
            }
        }
        LOG.log(Level.WARNING, "Database request failed: " + e);
        return Response.fromResponse(error(503, "database-unavailable", "the database is not reachable; retry later"))
                .header("Retry-After", 5).build();
    }

    /** A bug: logged with its stack trace on the server, answered with a plain message. */
    @Provider
    public static class Unexpected implements ExceptionMapper<Exception> {
        @Override
        public Response toResponse(Exception e) {
            if (e instanceof WebApplicationException w) {
                return new Http().toResponse(w);
            }
            if (e instanceof ApiException a) {
                return new Refused().toResponse(a);
            }
            if (e instanceof jakarta.persistence.PersistenceException || e.getCause() instanceof java.sql.SQLException) {
                return databaseFailed(e);
            }
            LOG.log(Level.SEVERE, "Request failed", e);
            return error(500, "internal-error", "the server could not complete the request");
        }
    }
}
