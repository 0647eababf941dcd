package dev.parley.signaling;

/**
 * A request the server refuses with one of PROTOCOL.md's error codes. The connection stays open;
 * the message is for people and never carries SDP, candidates or tokens.
 */
public class SignalException extends RuntimeException {

    private final String code;
    private final String reason;

    public SignalException(String code, String message) {
        this(code, message, null);
    }

    /** {@code reason}: Parley's addition to the error frame, for a client to tell a refusal it must not retry. */
    public SignalException(String code, String message, String reason) {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
    }

    public String code() {
        return code;
    }

    /** Why, when a client needs it to decide what to do next; null mostly. */
    public String reason() {
        return reason;
    }
}
