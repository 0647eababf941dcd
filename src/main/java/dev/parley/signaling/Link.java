package dev.parley.signaling;

/** Where frames for one connected participant go: a WebSocket in production, a recorder in unit tests. */
public interface Link {

    /** Queues a frame; never blocks. A link that cannot keep up closes itself. */
    void send(String frame);

    /** Closes the connection with a WebSocket close code. */
    void close(int code, String reason);

    /** The client's User-Agent, as history keeps it. */
    default String userAgent() {
        return "";
    }

    /** The client's address as history keeps it: a salted hash unless {@code parley.history.store-ip=true}. */
    default String clientAddress() {
        return "";
    }

    /** After this the link's closing is no longer a participant dropping (it was replaced, kicked or left). */
    void detach();
}
