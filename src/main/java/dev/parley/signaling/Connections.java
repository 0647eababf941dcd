package dev.parley.signaling;

import dev.parley.config.ParleyConfig;
import dev.parley.metrics.Metrics;
import dev.parley.rooms.Member;
import dev.parley.rooms.Presence;
import dev.parley.security.AddressKey;
import dev.parley.time.Timers;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The life of every signaling socket, from open to close: limits, decoding, handing frames to
 * {@link Signaling}, heartbeats and the join timeout. {@link SignalingEndpoint} only forwards here.
 */
@ApplicationScoped
public class Connections {

    private static final Logger LOG = Logger.getLogger(Connections.class.getName());
    private static final String KEY = Connection.class.getName();

    @Inject
    ParleyConfig config;
    @Inject
    Signaling signaling;
    @Inject
    Presence presence;
    @Inject
    Timers timers;
    @Resource
    ManagedExecutorService executor;
    @Inject
    ClientAddresses addresses;
    /** Replaced by the container's; unit tests that build this class by hand keep their own. */
    @Inject
    Metrics metrics = new Metrics();
    @Inject
    ClusterRelay cluster;

    private final MessageCodec codec = new MessageCodec();
    private final Pings pings = new Pings();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    /** Where each open socket waits for the heartbeat's next look at it. */
    private HeartbeatWheel<Connection> wheel;
    /** Open sockets per client address (the raw address; entries at zero are removed). */
    private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();

    @PostConstruct
    void init() {
        // A look asks for a time at most an interval ahead (the next ping's), so the wheel spans one.
        wheel = new HeartbeatWheel<>(heartbeatTick().toNanos(), config.wsPingInterval.toNanos());
    }

    /**
     * Registers a new socket. The endpoint keeps the {@link Socket} returned and hands it every frame, so that a frame
     * costs no lookup of its connection.
     */
    public Socket opened(Session session) {
        session.setMaxTextMessageBufferSize(config.wsMaxMessageBytes);
        session.setMaxBinaryMessageBufferSize(1024);
        var properties = session.getUserProperties();
        Socket socket = opened(new SessionWire(session),
                (String) properties.getOrDefault(HandshakeConfigurator.USER_AGENT, ""),
                (String) properties.getOrDefault(HandshakeConfigurator.CLIENT_ADDRESS, ""));
        properties.put(KEY, socket.connection());
        return socket;
    }

    /**
     * Registers a new socket of any transport: {@code agent} is its handshake's User-Agent (already cut to length),
     * {@code address} the client address {@code OriginFilter} stamped on the handshake ("" when unknown).
     */
    Socket opened(Wire wire, String agent, String address) {
        long now = System.nanoTime();
        Connection connection = new Connection(wire, executor, config.wsOutboxLimit, config.wsOutboxBytes,
                new RateLimiter(config.wsRate, config.wsBurst, now), now, agent, addresses.forHistory(address));
        connection.rateKey = AddressKey.of(address);
        open.add(connection);
        wheel.add(connection);
        if (!address.isEmpty() && perAddress.merge(connection.rateKey, 1, Integer::sum) > config.wsMaxConnectionsPerAddress) {
            // The handshake filter refuses most of these with 429; this catches handshakes that raced it.
            connection.close(1008, "too many connections from this address");
            return new Socket(this, connection);
        }
        connection.joinTimer = timers.schedule(config.wsJoinTimeout, () -> {
            if (!connection.everJoined) {
                connection.close(1008, "no join within " + config.wsJoinTimeout);
            }
        });
        return new Socket(this, connection);
    }

    /**
     * One open socket as its endpoint holds it: its connection, and this bean itself rather than the CDI client proxy
     * the endpoint is injected with. A relayed frame then costs neither the proxy's look-up of the bean's context nor a
     * search of the session's user properties (together about 2.5 % of the samples of WildFly's closed loop by JFR).
     */
    record Socket(Connections owner, Connection connection) {

        void text(String text) {
            owner.text(connection, text);
        }

        void pong() {
            owner.pong(connection);
        }

        void binary() {
            owner.binary(connection);
        }

        void closed() {
            owner.closed(connection);
        }

        /** {@link #closed}, on the executor: for a transport that learns of the close on a sender's thread. */
        void closedLater() {
            try {
                owner.executor.execute(this::closed);
            } catch (RejectedExecutionException e) {
                closed(); // the server is stopping
            }
        }
    }

    private void text(Connection connection, String text) {
        if (connection.closing()) {
            return; // kicked, taken over, refused: what it says now is not served
        }
        long now = System.nanoTime();
        connection.seen(now);
        // The container enforces the frame limit too, but not alike on every server: check it here as well.
        if (Utf8.longerThan(text, config.wsMaxMessageBytes)) {
            connection.close(1009, "frame larger than " + config.wsMaxMessageBytes + " bytes");
            return;
        }
        switch (connection.rateLimiter.acquire(now)) {
            case REFUSE -> {
                metrics.rateLimited();
                connection.send(Frames.error("rate-limited", "too many messages; slow down", MessageCodec.typeOf(text)));
                return;
            }
            case CLOSE -> {
                connection.close(1008, "message rate limit exceeded");
                return;
            }
            default -> {
            }
        }
        Inbound message;
        try {
            message = codec.decode(text);
        } catch (SignalException e) {
            metrics.error(e.code());
            connection.send(Frames.error(e.code(), e.getMessage(), MessageCodec.typeOf(text)));
            return;
        }
        String owner = connection.owner;
        if (owner != null && message.type() != Inbound.Type.PING) {
            // Bound to the instance that holds its room: everything but heartbeats is decided there.
            cluster.forward(connection, owner, text, message.type());
            return;
        }
        try {
            dispatch(connection, message, now);
        } catch (Elsewhere e) {
            cluster.forward(connection, e.owner, text, message.type());
        }
        if (connection.member() != null || connection.owner != null) {
            connection.joinTimer.cancel();
        }
    }

    /**
     * Applies a decoded frame of a client (local, or connected to another instance), answering refusals with an
     * {@code error} frame. {@link Elsewhere} passes through: the caller routes the frame to the room's instance.
     */
    void dispatch(Client client, Inbound message, long receivedNanos) {
        try {
            signaling.handle(client, message);
            switch (message.type()) {
                case OFFER, ANSWER, CANDIDATE, REJECT, HANGUP -> metrics.relayed(message.type().wire,
                        System.nanoTime() - receivedNanos);
                default -> {
                }
            }
        } catch (SignalException e) {
            metrics.error(e.code());
            client.send(Frames.error(e.code(), e.getMessage(), message.type().wire, e.reason()));
        } catch (Elsewhere e) {
            throw e;
        } catch (RuntimeException e) {
            // Not the client's fault but ours: the stack trace goes to the server log, the client gets 1011.
            LOG.log(Level.SEVERE, "Signaling failed on a '" + message.type().wire + "' frame", e);
            client.close(1011, "internal error");
        }
    }

    Inbound decode(String text) {
        return codec.decode(text);
    }

    private void binary(Connection connection) {
        connection.close(1003, "binary frames are not accepted");
    }

    private void pong(Connection connection) {
        connection.seen(System.nanoTime());
    }

    public void closed(Session session) {
        Connection connection = of(session);
        if (connection != null) {
            closed(connection);
        }
    }

    private void closed(Connection connection) {
        if (!open.remove(connection)) {
            return;
        }
        if (!connection.rateKey.isEmpty()) { // empty exactly when the address is (AddressKey.of)
            perAddress.computeIfPresent(connection.rateKey, (a, n) -> n <= 1 ? null : n - 1);
        }
        connection.markClosed(); // before reading the member: see Signaling.join
        connection.joinTimer.cancel();
        Member member = connection.member();
        if (member != null && !connection.detached()) {
            presence.dropped(member, connection);
        }
        if (connection.owner != null) {
            cluster.dropped(connection);
        }
    }

    /**
     * How often {@link #heartbeat} should run: a small fraction of the ping interval (at least 100 ms), so a connection
     * silent for two intervals is found soon after, and the pings of many sockets go out a few at a time rather than
     * in bursts that delay relayed messages (with 10,000 sockets and 5 s pings, 200 per tick instead of 2,000).
     */
    public Duration heartbeatTick() {
        return Duration.ofMillis(Math.max(100, config.wsPingInterval.toMillis() / 50));
    }

    /**
     * A socket heard from all the time is still pinged this many intervals apart: a proxy in front of Parley may close a
     * connection on which the server has sent nothing for a while (nginx's proxy_read_timeout, 60 s by default).
     */
    static final int MAX_INTERVALS_WITHOUT_PING = 6;

    /**
     * Pings each socket silent for a ping interval and closes those silent for two (half-open TCP connections). A
     * socket heard from within the interval needs no ping to prove it is alive, and pings cost the container as much
     * as relayed frames (with 10,000 sockets, 2,000 pings and 2,000 pongs a second): it is pinged only every
     * {@link #MAX_INTERVALS_WITHOUT_PING} intervals. Only a socket that left a ping unanswered for a whole interval
     * counts as silent: when this heartbeat itself ran late (the container's scheduler is shared, and busy under
     * load), sockets it had not pinged meanwhile are pinged now, not closed. Each run looks only at the sockets due
     * (see {@link HeartbeatWheel}).
     */
    public void heartbeat() {
        long interval = config.wsPingInterval.toNanos();
        List<Connection> toPing = new ArrayList<>();
        wheel.turn(System.nanoTime(), (connection, now) -> {
            try {
                return look(connection, now, interval, toPing);
            } catch (RuntimeException e) {
                // One socket's failure (its close reaching a stopping data grid, say) must not stop the turn: the
                // sockets after it would leave the wheel unlooked-at, and a scheduled task that throws runs no more.
                LOG.log(Level.WARNING, "The heartbeat failed on one connection", e);
                return HeartbeatWheel.NEVER;
            }
        });
        pings.send(toPing, executor);
    }

    /** One socket's heartbeat: answers when it may next need a ping or a close, if no sign of life comes meanwhile. */
    private long look(Connection connection, long now, long interval, List<Connection> toPing) {
        if (connection.isClosed()) {
            return HeartbeatWheel.NEVER;
        }
        if (connection.abortStalledClose(now, interval)) {
            LOG.fine("Closing a connection whose close waited over an interval on a send that never completed");
            closed(connection);
            return HeartbeatWheel.NEVER;
        }
        long seen = connection.lastSeenNanos();
        if (connection.pingOutstanding && seen - connection.pingSentNanos > 0) {
            connection.pingOutstanding = false; // answered, or some other sign of life since
        }
        if (connection.pingOutstanding && now - connection.pingSentNanos > interval && now - seen > 2 * interval) {
            LOG.fine("Closing a connection that stopped answering pings");
            connection.abort(1001, "no answer to pings");
            closed(connection);
            return HeartbeatWheel.NEVER;
        }
        long sincePing = now - connection.lastPingNanos;
        if (sincePing >= interval && (now - seen >= interval || sincePing >= MAX_INTERVALS_WITHOUT_PING * interval)) {
            connection.lastPingNanos = now;
            if (!connection.pingOutstanding) {
                connection.pingOutstanding = true;
                connection.pingSentNanos = now;
            }
            toPing.add(connection);
        }
        // The tests above, solved for the first time each could pass: a later sign of life only puts that off.
        long seenAfterPing = seen - connection.lastPingNanos;
        long ping = connection.lastPingNanos
                + Math.max(interval, Math.min(seenAfterPing + interval, MAX_INTERVALS_WITHOUT_PING * interval));
        if (!connection.pingOutstanding) {
            return ping;
        }
        long close = connection.pingSentNanos + Math.max(interval, seen - connection.pingSentNanos + 2 * interval) + 1;
        return close - ping < 0 ? close : ping;
    }

    public int openCount() {
        return open.size();
    }

    /** Open sockets from one client address (as the servlet container reports it), IPv6 by its /64 ({@link AddressKey}). */
    public int openFrom(String address) {
        return perAddress.getOrDefault(AddressKey.of(address), 0);
    }

    private static Connection of(Session session) {
        return (Connection) session.getUserProperties().get(KEY);
    }
}
