package dev.parley.rooms;

import dev.parley.calls.CallLedger;
import dev.parley.calls.LiveCall;
import dev.parley.cluster.Grid;
import dev.parley.history.HistoryEvent;
import dev.parley.history.HistorySink;
import dev.parley.ice.IceServers;
import dev.parley.signaling.Elsewhere;
import dev.parley.signaling.Frames;
import dev.parley.signaling.Link;
import dev.parley.signaling.SignalException;
import dev.parley.time.Timers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Logger;

/**
 * Who is where: the open rooms, their seats, and the resume tokens. The only owner of that state:
 * WebSocket and REST both come here. Each change happens under the room's monitor, so events in one room
 * are totally ordered while rooms proceed independently.
 */
public final class Presence {

    /** How long a departed participant's last resume token may still post a call's quality report. */
    public static final Duration REPORT_WINDOW = Duration.ofMinutes(10);
    private static final Logger LOG = Logger.getLogger(Presence.class.getName());

    /** {@code maxDeparted}: departed participants' tokens remembered at most (see {@link #departedTokens}). */
    public record Settings(int defaultCapacity, Duration resumeGrace, Duration idleTtl, int maxDeparted) {
    }

    /** A participant gone, by its last token: for its quality reports until {@code until}, and why it went. */
    private record Departed(String participantId, Instant until, String reason) {
    }

    /** Put out of the room: its client must not come back by itself as a new participant. */
    private static boolean removed(String departure) {
        return "kicked".equals(departure) || "room-closed".equals(departure);
    }

    private final Map<String, LiveRoom> rooms = new ConcurrentHashMap<>();
    private final Map<String, Member> byToken = new ConcurrentHashMap<>();
    private final Map<String, Departed> departedTokens = new ConcurrentHashMap<>();
    /** The same tokens in the order they departed, which is the order they expire in (one window for all). */
    private final Queue<String> departureOrder = new ConcurrentLinkedQueue<>();
    /** Set by {@link #closeAll}: no room or participant is let in after. */
    private volatile boolean stopping;
    private final Settings settings;
    private final Clock clock;
    private final Timers timers;
    private final HistorySink history;
    private final CallLedger calls;
    private final IceServers ice;
    /** Where room names and resume tokens are claimed cluster-wide (a no-op on a single instance). */
    private final Grid grid;

    public Presence(Settings settings, Clock clock, Timers timers, HistorySink history, CallLedger calls,
                    IceServers ice, Grid grid) {
        this.settings = settings;
        this.clock = clock;
        this.timers = timers;
        this.history = history;
        this.calls = calls;
        this.ice = ice;
        this.grid = grid;
    }

    public String instanceId() {
        return grid.instanceId();
    }

    public Grid grid() {
        return grid;
    }

    /** Creates an empty room (REST); it closes if nobody joins within the idle TTL. Empty if the name is taken. */
    public Optional<LiveRoom> create(String requestedName, int capacity, String password) {
        admitNewcomers();
        String name = requestedName == null ? freeRandomName() : requestedName;
        if (!grid.claim(name).equals(grid.instanceId())) {
            return Optional.empty(); // open on another instance
        }
        LiveRoom room = new LiveRoom(RandomIds.roomId(), name, capacity, password, clock.instant());
        if (rooms.putIfAbsent(name, room) != null) {
            return Optional.empty();
        }
        synchronized (room) {
            history.record(new HistoryEvent.RoomOpened(room.id, name, capacity, room.hasPassword(), room.createdAt));
            room.idleTimer = timers.schedule(settings.idleTtl, () -> closeIfUnused(room));
        }
        LOG.info(() -> "Room created room=" + name);
        return Optional.of(room);
    }

    /** Seats a new participant and sends it {@code joined}; the others get {@code peer-joined}. */
    public Member join(Link link, String requestedRoom, String name, String password) {
        admitNewcomers(); // before a random name is claimed in the grid: a refusal must leave no claim behind
        String roomName = requestedRoom == null ? freeRandomName()
                : RoomNames.normalize(requestedRoom).orElseThrow(() -> new SignalException("invalid-room",
                        "room names are 1-64 characters of a-z, 0-9 and -"));
        String displayName = name == null ? "Guest" : name;
        while (true) {
            LiveRoom room = rooms.computeIfAbsent(roomName, n -> openedByJoin(n, password));
            synchronized (room) {
                if (room.closed) {
                    continue; // closed between lookup and lock: open a fresh one
                }
                if (!room.passwordMatches(password)) {
                    throw new SignalException("wrong-password", "wrong or missing room password");
                }
                if (room.members.size() >= room.capacity) {
                    throw new SignalException("room-full", "the room is full (" + room.capacity + " seats)");
                }
                return seat(room, link, displayName);
            }
        }
    }

    /**
     * Turns a new room or participant away while history is too far behind to take more (a long database outage):
     * memory stays bounded, and nobody already in loses a seat, a call or its record. Resumes are let in.
     */
    public void admitNewcomers() {
        if (stopping) {
            throw new SignalException("unavailable", "the server is shutting down; join again in a moment");
        }
        if (history.behind()) {
            throw new SignalException("unavailable",
                    "the server cannot record new calls right now (its database is away); retry in a minute");
        }
    }

    /** Brings a dropped (or still connected) participant back on a new link, with a fresh token. */
    public Member resume(Link link, String token) {
        Member member = byToken.get(token);
        if (member == null) {
            Departed departed = departedTokens.get(token);
            // Here, or in a cluster on the instance that held it (the grid keeps why it left).
            String departure = departed == null ? grid.departureOfToken(token)
                    : clock.instant().isAfter(departed.until) ? null : departed.reason;
            if (removed(departure)) {
                // Kicked or the room closed while its link was down: it never heard the 4001 close.
                throw new SignalException("unauthorized", "you were removed from the room, or it was closed", departure);
            }
            throw new SignalException("unauthorized", "unknown or expired resume token");
        }
        LiveRoom room = member.room;
        synchronized (room) {
            if (member.gone || !token.equals(member.resumeToken)) {
                throw new SignalException("unauthorized", "unknown or expired resume token");
            }
            member.graceTimer.cancel();
            Link previous = member.link();
            member.link(link);
            if (previous != null) {
                previous.detach();
                previous.close(4000, "taken over by a resume");
            }
            sendJoined(member);
            for (LiveCall call : calls.callsOf(member)) {
                String offer = call.offerFor(member);
                if (offer != null) {
                    member.send(offer); // it may never have arrived: the client ignores one it has
                }
            }
            LOG.info(() -> "Participant resumed room=" + room.name + " participant=" + member.id);
            return member;
        }
    }

    /** A participant's socket closed without {@code leave}: keep the seat for the grace period. */
    public void dropped(Member member, Link link) {
        LiveRoom room = member.room;
        synchronized (room) {
            if (member.gone || member.link() != link) {
                return; // already left, or already resumed on another link
            }
            member.link(null);
            LOG.info(() -> "Participant dropped room=" + room.name + " participant=" + member.id);
            if (settings.resumeGrace.isZero()) {
                remove(member, "disconnected", true);
            } else {
                Timers.Timer[] grace = new Timers.Timer[1];
                grace[0] = timers.schedule(settings.resumeGrace, () -> {
                    synchronized (room) {
                        // Only the current drop's timer: one that fired as a resume cancelled it must not cut short
                        // the grace of a drop that came after (the task waits for this lock, so grace[0] is set).
                        if (!member.gone && member.link() == null && member.graceTimer == grace[0]) {
                            remove(member, "disconnected", true);
                        }
                    }
                });
                member.graceTimer = grace[0];
            }
        }
    }

    /** The participant leaves (by {@code leave} or a kick): its calls end, the others get {@code peer-left}. */
    public void leave(Member member, String reason) {
        synchronized (member.room) {
            if (!member.gone) {
                remove(member, reason, true);
            }
        }
    }

    /** Admin kick: the participant is closed 4001 and its token revoked. False if there is no such one. */
    public boolean kick(String roomName, String participantId) {
        LiveRoom room = rooms.get(roomName);
        if (room == null) {
            return false;
        }
        synchronized (room) {
            Member member = room.members.get(participantId);
            if (member == null) {
                return false;
            }
            Link link = member.link();
            remove(member, "kicked", true);
            if (link != null) {
                link.detach();
                link.close(4001, "kicked");
            }
            return true;
        }
    }

    /** Closes a room (admin: {@code room-closed} with close 4001; shutdown: {@code server-shutdown} with 1001). */
    public boolean close(String roomName, String reason) {
        LiveRoom room = rooms.get(roomName);
        if (room == null) {
            return false;
        }
        int code = reason.equals("server-shutdown") ? 1001 : 4001;
        synchronized (room) {
            if (room.closed) {
                return false;
            }
            calls.endAllIn(room, reason);
            List<Member> members = new ArrayList<>(room.members.values());
            for (Member member : members) {
                for (Member other : room.othersThan(member)) {
                    member.send(Frames.peerLeft(other.id, reason));
                }
            }
            for (Member member : members) {
                Link link = member.link();
                remove(member, reason, false);
                if (link != null) {
                    link.detach();
                    link.close(code, reason);
                }
            }
            closeRoom(room); // a created room nobody joined is still open here
            return true;
        }
    }

    public void closeAll(String reason) {
        stopping = true; // a join that reached this instance as it stops would seat someone nobody closes
        for (String name : new ArrayList<>(rooms.keySet())) {
            close(name, reason);
        }
    }

    public Optional<LiveRoom> room(String name) {
        return Optional.ofNullable(rooms.get(name));
    }

    public List<LiveRoom> rooms() {
        return new ArrayList<>(rooms.values());
    }

    /** Resume tokens of present participants; equals their number unless something leaks. */
    public int resumeTokenCount() {
        return byToken.size();
    }

    /** The participant whose current token this is (here or, in a cluster, on another instance); not one who left. */
    public Optional<String> presentParticipantOfToken(String token) {
        Member member = byToken.get(token);
        if (member != null) {
            return Optional.of(member.id);
        }
        return grid.holderOfToken(token) != null ? Optional.ofNullable(grid.participantOfToken(token)) : Optional.empty();
    }

    /** The participant a resume token belongs to: a present one, or one who left within the report window. */
    public Optional<String> participantOfToken(String token) {
        Member member = byToken.get(token);
        if (member != null) {
            return Optional.of(member.id);
        }
        Departed departed = departedTokens.get(token);
        if (departed == null) {
            return Optional.ofNullable(grid.participantOfToken(token)); // one of another instance's
        }
        if (clock.instant().isAfter(departed.until)) {
            departedTokens.remove(token);
            return Optional.empty();
        }
        return Optional.of(departed.participantId);
    }

    /**
     * Opens a room here, claiming its name first: routing looked at the claims before the join got here, and the
     * room may have closed since and been opened on another instance (throws {@link Elsewhere}), or one name would
     * become two rooms.
     */
    private LiveRoom openedByJoin(String name, String password) {
        String owner = grid.claim(name);
        if (!owner.equals(grid.instanceId())) {
            throw new Elsewhere(owner);
        }
        LiveRoom room = new LiveRoom(RandomIds.roomId(), name, settings.defaultCapacity, password, clock.instant());
        history.record(new HistoryEvent.RoomOpened(room.id, name, room.capacity, room.hasPassword(), room.createdAt));
        LOG.info(() -> "Room opened room=" + name);
        return room;
    }

    private Member seat(LiveRoom room, Link link, String displayName) {
        room.idleTimer.cancel();
        Member member = new Member(RandomIds.participantId(), displayName, room, clock.instant(), room.nextSeat++,
                link, null);
        room.members.put(member.id, member);
        history.record(new HistoryEvent.ParticipantJoined(member.id, room.id, room.name, displayName,
                member.userAgent, member.clientAddress, member.joinedAt));
        sendJoined(member);
        for (Member other : room.othersThan(member)) {
            other.send(Frames.peerJoined(other, member));
        }
        LOG.info(() -> "Participant joined room=" + room.name + " participant=" + member.id);
        return member;
    }

    /** Issues a new resume token (older ones stop working) and tells the member where it stands. */
    private void sendJoined(Member member) {
        if (member.resumeToken != null) {
            byToken.remove(member.resumeToken);
            grid.tokenRetired(member.resumeToken, member.id, null);
        }
        member.resumeToken = RandomIds.resumeToken();
        byToken.put(member.resumeToken, member);
        grid.tokenIssued(member.resumeToken, member.id);
        IceServers.Offer offer = ice.offerFor(member.id);
        member.send(Frames.joined(member, member.room.othersThan(member), calls.callsOf(member), offer.iceServers(),
                offer.ttl(), member.resumeToken));
    }

    private void remove(Member member, String reason, boolean announce) {
        LiveRoom room = member.room;
        member.gone = true;
        member.graceTimer.cancel();
        calls.endAllOf(member, reason);
        room.members.remove(member.id);
        byToken.remove(member.resumeToken);
        departedTokens.put(member.resumeToken, new Departed(member.id, clock.instant().plus(REPORT_WINDOW), reason));
        departureOrder.add(member.resumeToken);
        grid.tokenRetired(member.resumeToken, member.id, reason);
        pruneDepartedTokens();
        history.record(new HistoryEvent.ParticipantLeft(member.id, reason, clock.instant()));
        if (announce) {
            String frame = Frames.peerLeft(member.id, reason);
            for (Member other : room.members.values()) {
                other.send(frame);
            }
        }
        LOG.info(() -> "Participant left room=" + room.name + " participant=" + member.id + " reason=" + reason);
        if (room.members.isEmpty()) {
            closeRoom(room);
        }
    }

    private void closeIfUnused(LiveRoom room) {
        synchronized (room) {
            if (!room.closed && room.members.isEmpty()) {
                closeRoom(room);
            }
        }
    }

    private void closeRoom(LiveRoom room) {
        if (room.closed) {
            return;
        }
        room.closed = true;
        room.idleTimer.cancel();
        // The claim first: a join that finds the name gone from the map claims it afresh (openedByJoin), and must
        // not find this room's old claim, which would then be released under the new room.
        grid.release(room.name);
        rooms.remove(room.name, room);
        history.record(new HistoryEvent.RoomClosed(room.id, clock.instant()));
        LOG.info(() -> "Room closed room=" + room.name);
    }

    private String freeRandomName() {
        String name;
        do {
            name = RandomIds.roomName();
        } while (rooms.containsKey(name) || !grid.claim(name).equals(grid.instanceId()));
        return name;
    }

    /** How many departed participants' tokens are remembered now. */
    int departedCount() {
        return departedTokens.size();
    }

    /**
     * Forgets departed tokens whose window has passed, oldest first, and the oldest beyond {@code maxDeparted} (a
     * flood of joins and leaves): a few at each departure, never a scan of them all under a room's lock.
     */
    private void pruneDepartedTokens() {
        Instant now = clock.instant();
        synchronized (departureOrder) { // rooms' departures prune concurrently: one at a time looks at the head
            for (String oldest = departureOrder.peek(); oldest != null; oldest = departureOrder.peek()) {
                Departed departed = departedTokens.get(oldest);
                if (departed != null && !now.isAfter(departed.until) && departedTokens.size() <= settings.maxDeparted()) {
                    return;
                }
                departureOrder.poll();
                departedTokens.remove(oldest);
            }
        }
    }
}
