package dev.parley.signaling;

/**
 * A decoded, validated client frame. Fields a type does not use are null. The two relayed payloads stay JSON text,
 * exactly as the client wrote them (checked by {@link FrameReader}): {@code sdp} is a JSON string, quotation marks
 * and escapes included, and {@code candidate} the candidate object (null for end-of-candidates).
 */
public record Inbound(Type type, String room, String name, String password, String token, String resume,
                      String to, String sdp, String candidate, String reason) {

    public enum Type {
        JOIN("join"), OFFER("offer"), ANSWER("answer"), CANDIDATE("candidate"), REJECT("reject"),
        HANGUP("hangup"), LEAVE("leave"), PING("ping");

        public final String wire;

        Type(String wire) {
            this.wire = wire;
        }

        static Type of(String wire) {
            for (Type t : values()) {
                if (t.wire.equals(wire)) {
                    return t;
                }
            }
            return null;
        }
    }
}
