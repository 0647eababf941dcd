package dev.parley.testing;

import dev.parley.cluster.Grid;
import dev.parley.cluster.TokenEntries;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Several instances' grids in one JVM, as the data grid behaves for Parley: shared room and token maps, and
 * mailboxes whose messages wait until the test calls {@link #settle()} (delivery is asynchronous in production
 * too), in the order each sender sent them.
 */
public final class GridNetwork {

    private final Map<String, String> rooms = new HashMap<>();
    private final Map<String, String> tokens = new HashMap<>();
    private final Map<String, String> departures = new HashMap<>();
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final Queue<Runnable> inFlight = new ArrayDeque<>();

    public Grid join(String instanceId) {
        Member member = new Member(instanceId);
        members.put(instanceId, member);
        return member;
    }

    /** The room names claimed in the grid, by any instance. */
    public List<String> claimedRooms() {
        return List.copyOf(rooms.keySet());
    }

    /** Delivers every message in flight, and those sent while delivering. */
    public void settle() {
        for (Runnable next = inFlight.poll(); next != null; next = inFlight.poll()) {
            next.run();
        }
    }

    /** The instance dies: its mailbox goes silent, the survivors are told, the first of them cleans up. */
    public void kill(String instanceId) {
        members.remove(instanceId);
        inFlight.clear();
        rooms.values().removeIf(instanceId::equals);
        tokens.values().removeIf(entry -> TokenEntries.heldBy(entry, instanceId));
        for (Member survivor : List.copyOf(members.values())) {
            survivor.lostHandlers.forEach(h -> h.accept(instanceId));
        }
    }

    private final class Member implements Grid {
        private final String id;
        private Consumer<String> mailbox = m -> { };
        private Function<String, String> answers = q -> "";
        private final List<Consumer<String>> lostHandlers = new ArrayList<>();

        Member(String id) {
            this.id = id;
        }

        @Override
        public String instanceId() {
            return id;
        }

        @Override
        public boolean clustered() {
            return true;
        }

        @Override
        public String claim(String room) {
            return rooms.computeIfAbsent(room, r -> id);
        }

        @Override
        public String ownerOf(String room) {
            return rooms.get(room);
        }

        @Override
        public void release(String room) {
            rooms.remove(room, id);
        }

        @Override
        public void tokenIssued(String token, String participantId) {
            tokens.put(token, TokenEntries.present(id, participantId));
        }

        @Override
        public void tokenRetired(String token, String participantId, String departure) {
            if (departure != null) {
                tokens.put(token, TokenEntries.departed(participantId));
                departures.put(token, departure);
            } else {
                tokens.remove(token);
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
            Member to = members.get(instance);
            if (to != null) {
                inFlight.add(() -> to.mailbox.accept(message));
            }
        }

        @Override
        public CompletableFuture<String> ask(String instance, String question) {
            Member to = members.get(instance);
            return to == null ? CompletableFuture.failedFuture(new IllegalStateException("gone"))
                    : CompletableFuture.completedFuture(to.answers.apply(question));
        }

        @Override
        public void onMessage(Consumer<String> handler) {
            mailbox = handler;
        }

        @Override
        public void serve(Function<String, String> handler) {
            answers = handler;
        }

        @Override
        public void onInstanceLost(Consumer<String> handler) {
            lostHandlers.add(handler);
        }

        @Override
        public boolean leader() {
            return members.keySet().iterator().next().equals(id);
        }

        @Override
        public List<String> instances() {
            return List.copyOf(members.keySet());
        }

        @Override
        public void stop() {
        }
    }
}
