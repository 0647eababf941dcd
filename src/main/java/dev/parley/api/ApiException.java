package dev.parley.api;

/** A refused REST request: its status, a stable code for programs and a message for people. */
public class ApiException extends RuntimeException {

    public final int status;
    public final String code;
    /** Seconds for a {@code Retry-After} header, or 0. */
    public final long retryAfter;

    public ApiException(int status, String code, String message) {
        this(status, code, message, 0);
    }

    private ApiException(int status, String code, String message, long retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public static ApiException rateLimited(String message, long retryAfterSeconds) {
        return new ApiException(429, "rate-limited", message, retryAfterSeconds);
    }

    /** A passing refusal: the request may be repeated as it is after {@code retryAfterSeconds}. */
    public static ApiException unavailable(String message, long retryAfterSeconds) {
        return new ApiException(503, "unavailable", message, retryAfterSeconds);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad-request", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not-found", message);
    }
}
