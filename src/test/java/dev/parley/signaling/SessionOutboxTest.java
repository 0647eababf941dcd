package dev.parley.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One session's queue: a receiver that stops reading is cut off at the limit, and a refused frame never escapes. */
class SessionOutboxTest {

    private final List<String> sent = new ArrayList<>();
    private final List<Consumer<Boolean>> pending = new ArrayList<>();
    private final AtomicInteger overflows = new AtomicInteger();
    private final AtomicInteger refusals = new AtomicInteger();

    /** A wire whose sends complete only when the test says so, and which throws Error for "unencodable" (as Tyrus). */
    private Wire wire() {
        return new Wire() {
            @Override
            public void sendText(String text, Consumer<Boolean> done) {
                if (text.equals("unencodable")) {
                    throw new Error("java.nio.charset.MalformedInputException: Input length = 1");
                }
                sent.add(text);
                pending.add(done);
            }

            @Override
            public void sendPing() {
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close(int code, String reason) {
            }
        };
    }

    private SessionOutbox outbox(int limit) {
        return outbox(limit, Long.MAX_VALUE);
    }

    private SessionOutbox outbox(int limit, long maxChars) {
        return new SessionOutbox(wire(), Runnable::run, limit, maxChars, overflows::incrementAndGet,
                refusals::incrementAndGet);
    }

    @Test
    void aReceiverThatStopsReadingIsCutOffOnceTheLimitIsQueued() {
        SessionOutbox outbox = outbox(16);

        for (int i = 0; i < 40; i++) {
            outbox.send("frame " + i);
        }

        assertEquals(List.of("frame 0"), sent, "one send in flight, never more");
        assertEquals(1, overflows.get(), "the 18th frame overflows; later ones are dropped quietly");
        pending.get(0).accept(true);
        assertEquals(1, sent.size(), "an overflowed outbox sends nothing more");
    }

    @Test
    void aReceiverThatStopsReadingIsCutOffOnceItsQueueHoldsTheByteBudgetWhateverTheFrameCount() {
        SessionOutbox outbox = outbox(1024, 1 << 20);
        String offer = "x".repeat(64 * 1024); // a 64 KiB frame: at most 16 fit in 1 MiB

        for (int i = 0; i < 18; i++) {
            outbox.send(offer);
        }

        assertEquals(1, overflows.get(), "the 18th frame (17 queued behind the one in flight) overflows");
        assertEquals(1, sent.size());
    }

    @Test
    void sentFramesFreeTheirShareOfTheByteBudget() {
        SessionOutbox outbox = outbox(1024, 3000);
        outbox.send("x".repeat(1000)); // in flight
        outbox.send("y".repeat(1000));
        outbox.send("z".repeat(1000));
        outbox.send("w".repeat(1000));
        pending.get(0).accept(true); // y goes out: 2000 queued
        outbox.send("v".repeat(1000));

        assertEquals(0, overflows.get(), "3000 characters queued at most");
        outbox.send("u".repeat(1000));
        assertEquals(1, overflows.get());
    }

    @Test
    void queuedFramesGoOutInOrderAsSendsComplete() {
        SessionOutbox outbox = outbox(16);
        outbox.send("a");
        outbox.send("b");
        outbox.send("c");

        pending.get(0).accept(true);
        pending.get(1).accept(true);

        assertEquals(List.of("a", "b", "c"), sent);
        assertEquals(0, overflows.get());
    }

    @Test
    void aFrameTheContainerCannotEncodeClosesTheSocketInsteadOfEscapingToTheSender() {
        SessionOutbox outbox = outbox(16);

        outbox.send("unencodable"); // must not throw
        outbox.send("after");

        assertEquals(1, refusals.get());
        assertEquals(List.of(), sent);
    }

    @Test
    void aCloseWaitsForTheQueuedFramesAndRefusesNewOnes() {
        SessionOutbox outbox = outbox(16);
        AtomicInteger closes = new AtomicInteger();
        outbox.send("call-ended");
        outbox.send("peer-left");

        outbox.drainThen(closes::incrementAndGet);
        outbox.send("too late");
        assertEquals(0, closes.get(), "not while frames are queued");

        pending.get(0).accept(true);
        assertEquals(List.of("call-ended", "peer-left"), sent);
        assertEquals(0, closes.get(), "not while the last one is in flight");
        pending.get(1).accept(true);
        assertEquals(1, closes.get(), "closed once everything queued went out");
        assertEquals(List.of("call-ended", "peer-left"), sent, "nothing offered after the close was asked for");
    }

    @Test
    void anIdleOutboxClosesAtOnceAndASecondCloseDoesNotWaitForAStuckReceiver() {
        AtomicInteger closes = new AtomicInteger();
        outbox(16).drainThen(closes::incrementAndGet);
        assertEquals(1, closes.get());

        SessionOutbox stuck = outbox(16);
        stuck.send("never read");
        stuck.drainThen(closes::incrementAndGet);
        assertEquals(1, closes.get());
        stuck.drainThen(closes::incrementAndGet);
        assertEquals(2, closes.get(), "the second close happens without waiting");
    }
}
