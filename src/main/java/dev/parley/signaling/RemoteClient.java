package dev.parley.signaling;

import dev.parley.rooms.Member;

/**
 * On the instance holding a room: a client whose WebSocket is on another instance (its edge). Frames for it
 * are posted to the edge's mailbox by {@link ClusterRelay}, which delivers them to the socket.
 */
final class RemoteClient implements Client {

    final String edge;
    final String connectionId;
    private final ClusterRelay relay;
    private final String userAgent;
    private final String clientAddress;
    private volatile Member member;
    private volatile boolean detached;
    private volatile boolean closed;

    RemoteClient(String edge, String connectionId, ClusterRelay relay, String userAgent, String clientAddress) {
        this.edge = edge;
        this.connectionId = connectionId;
        this.relay = relay;
        this.userAgent = userAgent;
        this.clientAddress = clientAddress;
    }

    @Override
    public Member member() {
        return member;
    }

    @Override
    public void member(Member member) {
        this.member = member;
        if (member != null) {
            detached = false;
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }

    boolean detached() {
        return detached;
    }

    @Override
    public void send(String frame) {
        relay.deliver(this, frame);
    }

    @Override
    public void close(int code, String reason) {
        relay.closeRemote(this, code, reason);
    }

    @Override
    public void detach() {
        detached = true;
        member = null;
    }

    @Override
    public String userAgent() {
        return userAgent;
    }

    @Override
    public String clientAddress() {
        return clientAddress;
    }
}
