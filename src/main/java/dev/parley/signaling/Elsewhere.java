package dev.parley.signaling;

/**
 * Not for this instance: the room (or the resume token) is held by {@code owner}, where the frame must go.
 * Thrown by {@link Signaling} while routing a join, and by {@code Presence} when another instance claimed the
 * room's name first; never reaches a client.
 */
public final class Elsewhere extends RuntimeException {

    final String owner;

    public Elsewhere(String owner) {
        super(owner, null, false, false);
        this.owner = owner;
    }
}
