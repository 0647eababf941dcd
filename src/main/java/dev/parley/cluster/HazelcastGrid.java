package dev.parley.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import com.hazelcast.topic.ITopic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The grid on Payara's Hazelcast: room owners and resume tokens in distributed maps, one topic per instance
 * as its mailbox. Only strings cross the wire, so Hazelcast never needs Parley's classes.
 *
 * <p>Loaded by reflection from {@link Grids} only when Payara's data grid is running: nothing else in Parley
 * refers to Hazelcast, so the WAR deploys where it does not exist (WildFly).
 */
final class HazelcastGrid implements Grid {

    private static final Logger LOG = Logger.getLogger(HazelcastGrid.class.getName());
    private static final long ASK_TIMEOUT_SECONDS = 5;
    private static final String STOPPED = "stopped:";

    private final HazelcastInstance hz;
    private final String instanceId;
    private final Executor executor;
    private final IMap<String, String> rooms;
    private final IMap<String, String> tokens;
    /**
     * Hazelcast member UUID → Parley instance id, so survivors know whose rooms and history to clean up; prefixed
     * {@link #STOPPED} once the instance stopped while its member lives on (the WAR undeployed on Payara Server).
     */
    private final IMap<String, String> members;
    /**
     * Resume token → why its participant left, for a while after: a map of its own, so that the tokens' entries keep
     * the form every version of Parley in a cluster being upgraded reads.
     */
    private final IMap<String, String> departures;
    private final ITopic<String> mailbox;
    private final Map<String, CompletableFuture<String>> asked = new ConcurrentHashMap<>();
    private final long departedTtlSeconds;
    private volatile Consumer<String> messages = m -> { };
    private volatile Function<String, String> answers = q -> "";
    private final List<UUID> listeners = new ArrayList<>();
    /** Every membership listener this grid added: all are removed on stop, or a redeploy would leave them behind. */
    private final List<UUID> memberships = new ArrayList<>();

    HazelcastGrid(Object hazelcast, String instanceId, Executor executor, long departedTtlSeconds) {
        this.hz = (HazelcastInstance) hazelcast;
        if (!hz.getLifecycleService().isRunning()) {
            throw new IllegalStateException("the data grid is not running");
        }
        String memberId = hz.getCluster().getLocalMember().getUuid().toString();
        if (instanceId.equals("local")) {
            // Instances must not share a name; a stable one (pod or host name) keeps restart clean-up working.
            LOG.warning(() -> "parley.instance.id is not set: this instance is " + memberId + " in the cluster");
            this.instanceId = memberId;
        } else {
            this.instanceId = instanceId;
        }
        this.executor = executor;
        this.departedTtlSeconds = departedTtlSeconds;
        this.rooms = hz.getMap("parley-rooms");
        this.tokens = hz.getMap("parley-tokens");
        this.members = hz.getMap("parley-members");
        this.departures = hz.getMap("parley-departures");
        this.mailbox = hz.getTopic(topic(this.instanceId));
        members.set(memberId, this.instanceId);
        listeners.add(mailbox.addMessageListener(m -> receive(m.getMessageObject())));
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public boolean clustered() {
        return true;
    }

    @Override
    public String claim(String room) {
        String owner = rooms.putIfAbsent(room, instanceId);
        return owner == null ? instanceId : owner;
    }

    @Override
    public String ownerOf(String room) {
        return rooms.get(room);
    }

    @Override
    public void release(String room) {
        rooms.remove(room, instanceId);
    }

    @Override
    public void tokenIssued(String token, String participantId) {
        // Async: issued under the room's lock on every join and resume, where a slow grid (a member dead but not
        // yet noticed) must not stall everyone in the room. A resume elsewhere within milliseconds may miss it.
        tokens.setAsync(token, TokenEntries.present(instanceId, participantId));
    }

    @Override
    public void tokenRetired(String token, String participantId, String departure) {
        if (departure != null) {
            tokens.setAsync(token, TokenEntries.departed(participantId), departedTtlSeconds, TimeUnit.SECONDS);
            departures.setAsync(token, departure, departedTtlSeconds, TimeUnit.SECONDS);
        } else {
            tokens.removeAsync(token);
        }
    }

    @Override
    public String holderOfToken(String token) {
        return TokenEntries.holder(tokens.get(token));
    }

    @Override
    public String participantOfToken(String token) {
        return TokenEntries.participant(tokens.get(token));
    }

    @Override
    public String departureOfToken(String token) {
        return departures.get(token);
    }

    @Override
    public void send(String instance, String message) {
        hz.<String>getTopic(topic(instance)).publishAsync("M\n" + message);
    }

    @Override
    public CompletableFuture<String> ask(String instance, String question) {
        String id = UUID.randomUUID().toString();
        CompletableFuture<String> answer = new CompletableFuture<>();
        asked.put(id, answer);
        answer.whenComplete((a, e) -> asked.remove(id));
        hz.<String>getTopic(topic(instance)).publishAsync("Q " + id + " " + instanceId + "\n" + question);
        return answer.orTimeout(ASK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void onMessage(Consumer<String> handler) {
        messages = handler;
    }

    @Override
    public void serve(Function<String, String> handler) {
        answers = handler;
    }

    @Override
    public void onInstanceLost(Consumer<String> handler) {
        memberships.add(hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                String uuid = event.getMember().getUuid().toString();
                // Off Hazelcast's event thread: the clean-up reads and writes maps.
                executor.execute(() -> lost(uuid, handler));
            }
        }));
    }

    /**
     * A member left, crashed or stopped alike: a stopping instance may have claimed rooms again after it closed its
     * own (a join that reached it meanwhile), so a graceful stop is cleaned up as a crash is.
     */
    private void lost(String uuid, Consumer<String> handler) {
        String entry = members.get(uuid);
        String lost = entry == null ? null : entry.substring(entry.startsWith(STOPPED) ? STOPPED.length() : 0);
        if (lost == null || lost.equals(instanceId)) {
            return; // not a Parley instance (a Payara Server DAS, another application), or this one's own id
        }
        boolean back = instances().contains(lost);
        LOG.info(() -> "Instance lost: " + lost + (back ? " (already back under the same id: its claims stay)" : ""));
        if (leader() && !back) {
            // Not when the id is back (a restart faster than the loss was noticed): its new life holds these now.
            forgetClaimsOf(lost);
        }
        // The member's entry stays a while: every survivor reads it to learn whom it lost.
        members.setTtl(uuid, 1, TimeUnit.HOURS);
        handler.accept(lost);
    }

    /** The oldest member that runs Parley: members without it (a DAS, other applications) never clean up. */
    @Override
    public boolean leader() {
        for (Member member : hz.getCluster().getMembers()) {
            if (running(members.get(member.getUuid().toString()))) {
                return member.localMember();
            }
        }
        return false;
    }

    /** The Parley instances of the cluster, oldest first; members that do not run Parley are left out. */
    @Override
    public List<String> instances() {
        List<String> ids = new ArrayList<>();
        for (Member member : hz.getCluster().getMembers()) {
            String id = members.get(member.getUuid().toString());
            if (running(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** Whether a members entry is that of a Parley instance that runs (not stopped while its member lives on). */
    private static boolean running(String entry) {
        return entry != null && !entry.startsWith(STOPPED);
    }

    /**
     * Marks this instance stopped: survivors no longer list it, ask it, or wait for it to lead, while its member may
     * live on (the WAR undeployed, Payara's data grid running). What it still claimed (a join that reached it while it
     * stopped) is released here; if its member dies instead, survivors clean up as after a crash (see {@link #lost}).
     */
    @Override
    public void stop() {
        listeners.forEach(mailbox::removeMessageListener);
        memberships.forEach(hz.getCluster()::removeMembershipListener);
        memberships.clear();
        try {
            members.set(hz.getCluster().getLocalMember().getUuid().toString(), STOPPED + instanceId);
            forgetClaimsOf(instanceId);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "The data grid is already gone", e);
        }
    }

    /** The room names an instance holds and the resume tokens of its present participants. */
    private void forgetClaimsOf(String instance) {
        rooms.removeAll(Predicates.equal("this", instance));
        tokens.removeAll(Predicates.like("this", TokenEntries.present(instance, "%")));
    }

    /** Mailbox frames: {@code M\n<message>}, {@code Q <id> <from>\n<question>}, {@code A <id>\n<answer>}. */
    private void receive(String frame) {
        int newline = frame.indexOf('\n');
        String head = frame.substring(0, newline);
        String body = frame.substring(newline + 1);
        try {
            if (head.equals("M")) {
                messages.accept(body);
            } else if (head.startsWith("Q ")) {
                String[] parts = head.split(" ");
                String answer = answers.apply(body);
                hz.<String>getTopic(topic(parts[2])).publishAsync("A " + parts[1] + "\n" + answer);
            } else if (head.startsWith("A ")) {
                CompletableFuture<String> waiting = asked.get(head.substring(2));
                if (waiting != null) {
                    waiting.complete(body);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "A message from another instance failed", e);
        }
    }

    private static String topic(String instance) {
        return "parley-mailbox-" + instance;
    }
}
