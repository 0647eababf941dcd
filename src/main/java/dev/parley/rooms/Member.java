package dev.parley.rooms;

import dev.parley.signaling.Link;
import dev.parley.time.Timers;
import java.time.Instant;

/**
 * A participant while it holds a seat in a live room. Its link is null while it is dropped and may
 * still resume. Every field but {@code link} is guarded by the room's lock.
 */
public final class Member {

    public final String id;
    public final String name;
    public final LiveRoom room;
    public final Instant joinedAt;
    /** Who the client was when it joined (User-Agent, address as history keeps it). */
    public final String userAgent;
    public final String clientAddress;
    /** Join order within the room; the later joiner is the polite side of each pair. */
    final long seat;
    private volatile Link link;
    String resumeToken;
    Timers.Timer graceTimer = Timers.NONE;
    boolean gone;

    Member(String id, String name, LiveRoom room, Instant joinedAt, long seat, Link link, String resumeToken) {
        this.id = id;
        this.name = name;
        this.room = room;
        this.joinedAt = joinedAt;
        this.seat = seat;
        this.link = link;
        this.resumeToken = resumeToken;
        this.userAgent = link == null ? "" : link.userAgent();
        this.clientAddress = link == null ? "" : link.clientAddress();
    }

    /** Frames for a dropped participant are discarded: it recovers with an ICE restart after resuming. */
    public void send(String frame) {
        Link l = link;
        if (l != null) {
            l.send(frame);
        }
    }

    public boolean connected() {
        return link != null;
    }

    public boolean isGone() {
        return gone;
    }

    Link link() {
        return link;
    }

    void link(Link link) {
        this.link = link;
    }

    /** True when this member should yield to {@code peer} on an offer collision (perfect negotiation). */
    public boolean politeTowards(Member peer) {
        return seat > peer.seat;
    }
}
