package dev.parley.signaling;

import static dev.parley.api.JsonP.JSON;

import dev.parley.cluster.Grid;
import dev.parley.rooms.Member;
import dev.parley.rooms.Presence;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Carries signaling between instances. A socket's frames go to the instance that holds its room (the owner),
 * which runs every rule there; what the owner sends back is delivered to the socket by its edge. Messages are
 * single strings in the owner's or edge's mailbox:
 * <pre>
 * F edge socket \n userAgent \n address \n frame    edge → owner: a client frame (who it is: joins only)
 * D edge socket                                    edge → owner: the socket closed
 * S socket \n frame                                owner → edge: send this frame
 * C socket code \n reason                          owner → edge: close the socket (the edge answers D)
 * R socket owner                                   owner → edge: the room moved; send there from now on
 * </pre>
 */
@ApplicationScoped
public class ClusterRelay {

    private static final Logger LOG = Logger.getLogger(ClusterRelay.class.getName());

    @Inject
    Presence presence;
    @Inject
    Connections connections;

    /** Owner side: clients whose sockets are on other instances, by edge and socket id. */
    private final Map<String, RemoteClient> remotes = new ConcurrentHashMap<>();
    /** Edge side: sockets here whose room is held elsewhere, by socket id. */
    private final Map<String, Connection> bound = new ConcurrentHashMap<>();
    /**
     * Edge side: the peers each bound socket's participant has, as the frames relayed to it told (joined,
     * peer-joined, peer-left), so that if the room's instance dies its client still hears who is gone.
     */
    private final Map<String, Set<String>> peersOf = new ConcurrentHashMap<>();

    public void start() {
        Grid grid = presence.grid();
        if (grid.clustered()) {
            grid.onMessage(this::receive);
            grid.onInstanceLost(this::instanceLost);
        }
    }

    /**
     * Edge: sends a client frame of {@code type} to the instance holding its room. A join carries who the client
     * is (the owner keeps it from then on); a leave unbinds the socket.
     */
    void forward(Connection connection, String owner, String frame, Inbound.Type type) {
        Grid grid = presence.grid();
        if (type == Inbound.Type.LEAVE) {
            connection.owner = null;
            bound.remove(connection.id);
            peersOf.remove(connection.id);
        } else {
            connection.owner = owner;
            bound.put(connection.id, connection);
        }
        String who = type == Inbound.Type.JOIN
                ? oneLine(connection.userAgent()) + "\n" + oneLine(connection.clientAddress()) : "\n";
        grid.send(owner, "F " + grid.instanceId() + " " + connection.id + "\n" + who + "\n" + frame);
    }

    /** Edge: the socket closed; its owner treats the participant as dropped (it may resume). */
    void dropped(Connection connection) {
        String owner = connection.owner;
        bound.remove(connection.id);
        peersOf.remove(connection.id);
        if (owner != null) {
            presence.grid().send(owner, "D " + presence.grid().instanceId() + " " + connection.id);
        }
    }

    void deliver(RemoteClient client, String frame) {
        presence.grid().send(client.edge, "S " + client.connectionId + "\n" + frame);
    }

    /**
     * Owner: closes a client's socket on its edge. The edge closes it without a {@code D} back, so the client is
     * forgotten here and now, and treated as dropped as a local socket's close is (unless it was taken over): a
     * client closed for an error would otherwise keep its seat for good.
     */
    void closeRemote(RemoteClient client, int code, String reason) {
        presence.grid().send(client.edge, "C " + client.connectionId + " " + code + "\n" + reason);
        if (remotes.remove(client.edge + " " + client.connectionId, client)) {
            remoteDropped(client);
        }
    }

    /** Sockets here bound to other instances, and clients of other instances here (for tests and metrics). */
    public int remoteCount() {
        return remotes.size() + bound.size();
    }

    void receive(String message) {
        int end = message.indexOf('\n');
        String[] head = (end < 0 ? message : message.substring(0, end)).split(" ");
        String rest = end < 0 ? "" : message.substring(end + 1);
        switch (head[0]) {
            case "F" -> frame(head[1], head[2], rest, message);
            case "D" -> remoteDropped(remotes.remove(head[1] + " " + head[2]));
            case "S" -> {
                Connection connection = bound.get(head[1]);
                if (connection != null) {
                    connection.send(rest);
                    trackPeers(connection.id, rest);
                }
            }
            case "C" -> {
                peersOf.remove(head[1]);
                Connection connection = bound.remove(head[1]);
                if (connection != null) {
                    String owner = connection.owner;
                    connection.owner = null;
                    connection.close(Integer.parseInt(head[2]), rest);
                    if (owner != null) {
                        // The owner forgot this client when it closed it; a join the socket sent meanwhile may have
                        // seated it again there, and must not stay seated with no socket behind it.
                        presence.grid().send(owner, "D " + presence.grid().instanceId() + " " + connection.id);
                    }
                }
            }
            case "R" -> {
                Connection connection = bound.get(head[1]);
                if (connection != null) {
                    connection.owner = head[2];
                }
            }
            default -> LOG.warning(() -> "Unknown cluster message " + head[0]);
        }
    }

    /** Owner: a frame from a socket on another instance, handled as if that socket were here. */
    private void frame(String edge, String socket, String rest, String whole) {
        String[] lines = rest.split("\n", 3);
        String key = edge + " " + socket;
        RemoteClient known = remotes.get(key);
        Inbound message;
        try {
            message = connections.decode(lines[2]);
        } catch (SignalException e) {
            if (known != null) {
                known.send(Frames.error(e.code(), e.getMessage(), MessageCodec.typeOf(lines[2]), e.reason()));
            }
            return;
        }
        if (known == null && message.type() != Inbound.Type.JOIN) {
            return; // in flight when this instance closed the socket: the edge has unbound it, and sends no D
        }
        RemoteClient client = known != null ? known
                : remotes.computeIfAbsent(key, k -> new RemoteClient(edge, socket, this, lines[0], lines[1]));
        try {
            connections.dispatch(client, message, System.nanoTime());
        } catch (Elsewhere e) {
            // The room moved (it closed here, and opened elsewhere) since the edge looked: pass it on.
            Grid grid = presence.grid();
            grid.send(e.owner, whole);
            grid.send(edge, "R " + socket + " " + e.owner);
            remotes.remove(edge + " " + socket);
            return;
        }
        if (message.type() == Inbound.Type.LEAVE) {
            remotes.remove(edge + " " + socket);
        }
    }

    private void remoteDropped(RemoteClient client) {
        if (client == null) {
            return;
        }
        client.markClosed(); // before reading the member: see Signaling.join
        Member member = client.member();
        if (member != null && !client.detached()) {
            presence.dropped(member, client);
        }
    }

    /**
     * Another instance stopped or died. Its sockets' participants here are dropped (they may resume elsewhere
     * within the grace, or are reported {@code disconnected}); sockets here whose room it held hear that every
     * peer is gone ({@code peer-left disconnected}: the room and its calls died with it), then are closed 1012
     * so their clients join again, on an instance that is alive.
     */
    private void instanceLost(String instance) {
        for (RemoteClient client : List.copyOf(remotes.values())) {
            if (client.edge.equals(instance)) {
                // Dropped here (closeRemote). The close is heard only if the instance is already back under the same
                // id: a socket of its new life bound here must then join again.
                closeRemote(client, 1012, "the instance holding this room lost track of this connection; join again");
            }
        }
        Grid grid = presence.grid();
        bound.values().removeIf(connection -> {
            if (instance.equals(connection.owner)) {
                connection.owner = null;
                // Heard only if the instance is already back under the same id and this socket joined its new life:
                // it then drops the participant (who may resume), as it would on any close, instead of keeping a seat.
                grid.send(instance, "D " + grid.instanceId() + " " + connection.id);
                Set<String> peers = peersOf.remove(connection.id);
                if (peers != null) {
                    peers.forEach(peer -> connection.send(Frames.peerLeft(peer, "disconnected")));
                }
                connection.close(1012, "the instance holding this room stopped; join again");
                return true;
            }
            return false;
        });
    }

    /** Follows who is in the room from the frames that say so (Frames writes the type first). */
    private void trackPeers(String socket, String frame) {
        boolean joined = frame.startsWith("{\"type\":\"joined\"");
        if (!joined && !frame.startsWith("{\"type\":\"peer-joined\"") && !frame.startsWith("{\"type\":\"peer-left\"")) {
            return;
        }
        JsonObject json;
        try (JsonReader reader = JSON.createReader(new StringReader(frame))) {
            json = reader.readObject();
        }
        Set<String> peers = peersOf.computeIfAbsent(socket, s -> ConcurrentHashMap.newKeySet());
        if (joined) {
            peers.clear();
            json.getJsonArray("peers").forEach(p -> peers.add(p.asJsonObject().getString("id")));
        } else if (json.getString("type").equals("peer-joined")) {
            peers.add(json.getJsonObject("peer").getString("id"));
        } else {
            peers.remove(json.getJsonObject("peer").getString("id"));
        }
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replace('\n', ' ').replace('\r', ' ');
    }
}
