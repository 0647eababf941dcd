package dev.parley.signaling;

import dev.parley.calls.CallLedger;
import dev.parley.calls.LiveCall;
import dev.parley.cluster.Grid;
import dev.parley.rooms.LiveRoom;
import dev.parley.rooms.Member;
import dev.parley.rooms.Presence;
import dev.parley.rooms.RoomNames;
import dev.parley.security.AddressRateLimit;
import dev.parley.security.JoinTokens;
import java.util.Objects;

/**
 * The rules of PROTOCOL.md §1 for one decoded frame: who may send what to whom, which call it belongs to,
 * and what is relayed. Relayed frames are rebuilt around the checked payload, stamped with the sender's id.
 * Nothing here waits on I/O: sends are queued and history is handed to the writer.
 */
public final class Signaling {

    private final Presence presence;
    private final CallLedger calls;
    private final JoinTokens joinTokens;
    /** Invalid resume tokens per client address; null: not limited. */
    private final AddressRateLimit resumeFailures;

    public Signaling(Presence presence, CallLedger calls) {
        this(presence, calls, JoinTokens.NONE, null);
    }

    public Signaling(Presence presence, CallLedger calls, JoinTokens joinTokens, AddressRateLimit resumeFailures) {
        this.presence = presence;
        this.calls = calls;
        this.joinTokens = joinTokens;
        this.resumeFailures = resumeFailures;
    }

    public void handle(Client connection, Inbound message) {
        switch (message.type()) {
            case PING -> connection.send(Frames.PONG);
            case JOIN -> join(connection, message);
            case LEAVE -> leave(connection);
            default -> relay(joined(connection), message);
        }
    }

    private void join(Client connection, Inbound message) {
        if (connection.member() != null) {
            throw new SignalException("already-joined", "this connection has already joined a room");
        }
        Member member = message.resume() != null ? resume(connection, message.resume()) : enter(connection, message);
        connection.member(member);
        if (connection.isClosed()) {
            // The socket closed while this join ran (the client saw 'joined' and left at once): the close
            // found no member yet, so the drop is ours to report, or the seat would never be freed.
            presence.dropped(member, connection);
        }
    }

    /** A fresh join; with join tokens required, the token decides the room and the name. */
    private Member enter(Client connection, Inbound message) {
        presence.admitNewcomers(); // before routing claims the room's name in a cluster
        if (!joinTokens.required()) {
            routeTo(message.room());
            return presence.join(connection, message.room(), message.name(), message.password());
        }
        JoinTokens.Grant grant = joinTokens.verify(message.token());
        if (message.room() != null && !Objects.equals(RoomNames.normalize(message.room()), RoomNames.normalize(grant.room()))) {
            throw new SignalException("unauthorized", "the join token is for another room");
        }
        String name;
        try {
            name = MessageCodec.displayName(grant.name());
        } catch (SignalException e) {
            throw new SignalException("unauthorized", "the join token's name is not usable: " + e.getMessage());
        }
        routeTo(grant.room());
        return presence.join(connection, grant.room(), name, message.password());
    }

    /** In a cluster, a named room is joined where it is held: throws {@link Elsewhere} if that is not here. */
    private void routeTo(String room) {
        Grid grid = presence.grid();
        if (room == null || !grid.clustered()) {
            return; // a random room is opened here
        }
        RoomNames.normalize(room).ifPresent(name -> {
            String owner = grid.claim(name);
            if (!owner.equals(grid.instanceId())) {
                throw new Elsewhere(owner);
            }
        });
    }

    /** Guessing resume tokens is throttled per address: past the limit, even a valid one is refused for a while. */
    private Member resume(Client connection, String token) {
        String address = connection.rateKey();
        if (resumeFailures != null && resumeFailures.exhausted(address)) {
            throw new SignalException("rate-limited", "too many invalid resume tokens from this address; retry later");
        }
        Grid grid = presence.grid();
        if (grid.clustered()) {
            String holder = grid.holderOfToken(token);
            if (holder != null && !holder.equals(grid.instanceId())) {
                throw new Elsewhere(holder);
            }
        }
        try {
            return presence.resume(connection, token);
        } catch (SignalException e) {
            if (resumeFailures != null && e.code().equals("unauthorized")) {
                resumeFailures.acquire(address);
            }
            throw e;
        }
    }

    private void leave(Client connection) {
        Member member = joined(connection);
        connection.member(null);
        presence.leave(member, "left");
    }

    private void relay(Member self, Inbound message) {
        LiveRoom room = self.room;
        synchronized (room) {
            if (self.isGone()) {
                throw new SignalException("not-joined", "join a room first");
            }
            Member peer = peer(self, message.to());
            switch (message.type()) {
                case OFFER -> {
                    LiveCall call = calls.offer(self, peer);
                    String offer = Frames.sdp("offer", self.id, call.id, message.sdp());
                    call.offered(self, offer);
                    peer.send(offer);
                }
                case ANSWER -> {
                    LiveCall call = calls.answer(self, peer);
                    peer.send(Frames.sdp("answer", self.id, call.id, message.sdp()));
                }
                case CANDIDATE -> {
                    LiveCall call = calls.between(self, peer);
                    peer.send(Frames.candidate(self.id, call == null ? null : call.id, message.candidate()));
                }
                case REJECT -> {
                    LiveCall call = calls.reject(self, peer);
                    peer.send(Frames.reject(self.id, call.id, message.reason()));
                }
                case HANGUP -> {
                    LiveCall call = calls.hangup(self, peer);
                    peer.send(Frames.hangup(self.id, call.id));
                }
                default -> throw new IllegalStateException("not a relayed type: " + message.type());
            }
        }
    }

    /** The addressee: {@code to}, or the only other participant when {@code to} is left out. */
    private static Member peer(Member self, String to) {
        if (to == null) {
            Member only = self.room.soleOtherThan(self);
            if (only != null) {
                return only;
            }
            throw new SignalException("unknown-peer", "'to' is required when the room does not hold exactly one other participant");
        }
        Member peer = self.room.member(to);
        if (peer == null || peer == self) {
            throw new SignalException("unknown-peer", "no such participant in this room");
        }
        return peer;
    }

    private static Member joined(Client connection) {
        Member member = connection.member();
        if (member == null) {
            throw new SignalException("not-joined", "join a room first");
        }
        return member;
    }
}
