package dev.parley.signaling;

import dev.parley.rooms.Member;

/**
 * A signaling client as {@link Signaling} sees it: a WebSocket on this instance ({@link Connection}), or, on
 * the instance that holds its room, one connected to another instance ({@link RemoteClient}).
 */
public interface Client extends Link {

    /** The participant this client speaks for; null before {@code join}, after {@code leave} or a takeover. */
    Member member();

    void member(Member member);

    /** The socket has closed (a join finishing meanwhile must report the drop itself). */
    boolean isClosed();

    /**
     * Whom per-address limits count this client as (see {@code AddressKey}: IPv6 by its /64). By default its address
     * as history keeps it; in a cluster, a client on another instance is counted so.
     */
    default String rateKey() {
        return clientAddress();
    }
}
