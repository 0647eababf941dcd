package dev.parley.signaling;

/**
 * A request the server refuses with one of PROTOCOL.md's error codes. The connection stays open;
 * the message is for people and never carries SDP, candidates or tokens.
 */
public class SignalException extends RuntimeException {

    private final String code;

    public SignalException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
