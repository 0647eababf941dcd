package dev.parley.signaling;

/**
 * Not for this instance: the room (or the resume token) is held by {@code owner}, where the frame must go.
 * Thrown by {@link Signaling} while routing a join; never reaches a client.
 */
final class Elsewhere extends RuntimeException {

    final String owner;

    Elsewhere(String owner) {
        super(owner, null, false, false);
        this.owner = owner;
    }
}
