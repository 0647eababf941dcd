package dev.parley.cluster;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What Parley shares between instances: which instance holds each room (its owner runs all of the room's
 * rules, so capacity, passwords and calls need no distributed locking), which holds each resume token, and a
 * mailbox per instance. {@link LocalGrid} is the single-instance version; {@code HazelcastGrid} runs on
 * Payara's data grid and is loaded only where that exists.
 */
public interface Grid {

    /** This instance's id (also what history rows record as {@code instance_id}). */
    String instanceId();

    boolean clustered();

    /** The instance that holds {@code room}: this one when the room was free (it is now claimed) or is ours. */
    String claim(String room);

    /** The instance that holds {@code room}, or null when no instance does (nothing is claimed). */
    String ownerOf(String room);

    /** The room closed here: its name is free again. */
    void release(String room);

    /** A participant here got a resume token. */
    void tokenIssued(String token, String participantId);

    /**
     * A resume token stopped working: replaced by a newer one ({@code departure} null), or its participant left for
     * {@code departure} (a reason of PROTOCOL.md) and may still post quality reports with it a while.
     */
    void tokenRetired(String token, String participantId, String departure);

    /** The instance holding the participant of a live resume token, or null. */
    String holderOfToken(String token);

    /** The participant of a live or recently departed resume token, or null. */
    String participantOfToken(String token);

    /** Why the participant of a recently departed resume token left, or null (present, or unknown). */
    String departureOfToken(String token);

    /** Posts a message to another instance's mailbox; never blocks. */
    void send(String instance, String message);

    /** Asks another instance and returns its answer (see {@link #serve}). */
    CompletableFuture<String> ask(String instance, String question);

    /** Mailbox messages sent here, in the order each sender sent them. */
    void onMessage(Consumer<String> handler);

    /** Answers {@link #ask} questions sent here. */
    void serve(Function<String, String> answers);

    /** An instance left the cluster (stopped or died); called on every survivor. */
    void onInstanceLost(Consumer<String> handler);

    /** Whether this instance cleans up after lost ones (exactly one survivor does). */
    boolean leader();

    /** The instances in the cluster, this one included. */
    List<String> instances();

    void stop();
}
