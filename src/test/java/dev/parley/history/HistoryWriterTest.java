package dev.parley.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.cluster.LocalGrid;
import dev.parley.config.ParleyConfig;
import dev.parley.testing.MapConfig;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writer's loop against a store that refuses as a database would (by SQLState): what it keeps, retries, drops,
 * and when it says it is {@link HistoryWriter#behind() behind}. The store's SQL itself is tested on H2 and
 * PostgreSQL elsewhere; here the point is the writer's decisions.
 */
class HistoryWriterTest {

    private static final Instant AT = Instant.parse("2026-12-04T12:00:00Z");

    /** Writes into a list; refuses an event as often as {@link #refusals} says, with that SQLState. */
    private static final class ScriptedStore extends HistoryStore {
        final List<HistoryEvent> written = Collections.synchronizedList(new ArrayList<>());
        final Map<HistoryEvent, Integer> refusals = new HashMap<>();
        final Map<HistoryEvent, Integer> attempts = new HashMap<>();
        volatile String sqlState = "08001";
        volatile boolean away;

        @Override
        public synchronized void apply(List<HistoryEvent> batch, String instanceId) {
            if (away) {
                throw new RuntimeException(new SQLException("Connection refused", "08001"));
            }
            for (HistoryEvent event : batch) {
                attempts.merge(event, 1, Integer::sum);
                Integer left = refusals.get(event);
                if (left != null && left > 0) {
                    refusals.put(event, left - 1);
                    throw new RuntimeException(new SQLException("refused", sqlState));
                }
            }
            written.addAll(batch);
        }

        @Override
        public boolean reachable() {
            return !away;
        }

        synchronized int attemptsOf(HistoryEvent event) {
            return attempts.getOrDefault(event, 0);
        }
    }

    private final ScriptedStore store = new ScriptedStore();
    private HistoryWriter writer;

    private HistoryWriter writer(String maxBacklog) {
        writer = new HistoryWriter();
        writer.store = store;
        writer.config = new ParleyConfig(MapConfig.of("parley.history.max-backlog", maxBacklog));
        writer.grid = new LocalGrid("test-instance");
        writer.threads = new ManagedThreadFactory() {
            @Override
            public Thread newThread(Runnable task) {
                Thread thread = new Thread(task);
                thread.setDaemon(true);
                return thread;
            }

            public ForkJoinWorkerThread newThread(ForkJoinPool pool) {
                throw new UnsupportedOperationException();
            }
        };
        return writer;
    }

    @AfterEach
    void stop() {
        if (writer != null) {
            writer.stop(Duration.ZERO);
        }
    }

    private static HistoryEvent room(int i) {
        return new HistoryEvent.RoomOpened("r-" + i, "room-" + i, 2, false, AT.plusSeconds(i));
    }

    @Test
    void atTheBacklogLimitItIsBehindAndOnceTheDatabaseIsBackItCatchesUpInOrder() {
        HistoryWriter writer = writer("3");
        store.away = true;
        writer.start();

        writer.record(room(1));
        writer.record(room(2));
        assertFalse(writer.behind(), "2 of 3 waiting");
        writer.record(room(3));
        assertTrue(writer.behind(), "3 of 3 waiting");
        writer.record(room(4)); // those already in go on being recorded past the limit
        assertFalse(writer.awaitWritten(Duration.ofMillis(300)), "nothing is written while the database is away");

        store.away = false;

        assertTrue(writer.awaitWritten(Duration.ofSeconds(15)));
        assertFalse(writer.behind());
        assertEquals(List.of(room(1), room(2), room(3), room(4)), store.written);
    }

    /** Three events in one batch, the second refused {@code refusals} times with {@code sqlState}. */
    private HistoryWriter writingThree(String sqlState, int refusals) {
        store.sqlState = sqlState;
        store.refusals.put(room(2), refusals);
        HistoryWriter writer = writer("100");
        writer.record(room(1));
        writer.record(room(2));
        writer.record(room(3));
        writer.start();
        return writer;
    }

    @Test
    void aPassingRefusalWhileTheDatabaseAnswersIsRetriedUntilWritten() {
        // A serialization failure or deadlock, in the batch and then one more time than an unplaceable one is tried.
        HistoryWriter writer = writingThree("40001", 6);

        assertTrue(writer.awaitWritten(Duration.ofSeconds(20)));
        assertEquals(List.of(room(1), room(2), room(3)), store.written);
        assertEquals(7, store.attemptsOf(room(2)));
    }

    @Test
    void anUnplaceableRefusalWhileTheDatabaseAnswersIsGivenUpAfterFiveTries() {
        // A duplicate key: a race in a cluster, or an event that will never fit.
        HistoryWriter writer = writingThree("23505", Integer.MAX_VALUE);

        assertTrue(writer.awaitWritten(Duration.ofSeconds(20)));
        assertEquals(List.of(room(1), room(3)), store.written);
        assertEquals(1 + 5, store.attemptsOf(room(2)), "the batch, then five on its own");
    }

    @Test
    void aValueTheDatabaseCanNeverStoreIsDroppedAtOnceAndTheEventsAfterItAreWritten() {
        HistoryWriter writer = writingThree("22001", Integer.MAX_VALUE); // value too long

        assertTrue(writer.awaitWritten(Duration.ofSeconds(5)));
        assertEquals(List.of(room(1), room(3)), store.written);
        assertEquals(2, store.attemptsOf(room(2)), "in the batch, then once on its own: no retries");
        assertFalse(writer.behind());
    }
}
