package dev.parley.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HeartbeatWheelTest {

    private static final long TICK = 100;
    private static final long HORIZON = 5_000;

    /** A socket whose look wants the next one at {@code due}; it records what the wheel did. */
    private static final class Socket {
        long due;
        long askedAt;
        int looks;
        int earlyLooks;
    }

    @Test
    void everySocketIsLookedAtInTheFirstTurnAtOrAfterTheTimeItAskedForAndOnlyEarlyWithinItsTick() {
        Random random = new Random(6);
        HeartbeatWheel<Socket> wheel = new HeartbeatWheel<>(TICK, HORIZON);
        List<Socket> live = new ArrayList<>();
        long now = -7_777_777; // nanoTime may be negative
        for (int turn = 0; turn < 5_000; turn++) {
            for (int i = random.nextInt(3); i > 0; i--) {
                Socket socket = new Socket();
                socket.due = now; // a new socket is looked at in the next turn
                live.add(socket);
                wheel.add(socket);
            }
            // Mostly a tick apart, sometimes late, sometimes twice in a tick, now and then stalled past the horizon.
            int kind = random.nextInt(100);
            now += kind < 70 ? TICK : kind < 85 ? random.nextInt((int) TICK) : kind < 98 ? TICK * (2 + random.nextInt(5))
                    : HORIZON + random.nextInt((int) (2 * HORIZON));
            long turnAt = now;
            wheel.turn(now, (socket, at) -> {
                assertEquals(turnAt, at);
                socket.looks++;
                if (at - socket.due < 0) {
                    socket.earlyLooks++;
                    // A slot holds a tick's worth of times; past the horizon, the wheel has no slot for a time.
                    assertTrue(Math.floorDiv(socket.due, TICK) == Math.floorDiv(at, TICK)
                            || socket.due - socket.askedAt > HORIZON, "looked at early only in the tick it is due in, or "
                            + "when it asked for a time past the wheel's horizon: " + (socket.due - socket.askedAt));
                    socket.askedAt = at;
                    return socket.due;
                }
                if (random.nextInt(20) == 0) {
                    socket.due = HeartbeatWheel.NEVER; // closed
                    return HeartbeatWheel.NEVER;
                }
                socket.askedAt = at;
                socket.due = at + 1 + random.nextInt((int) (HORIZON * 3 / 2)); // now and then past the horizon
                return socket.due;
            });
            for (Socket socket : live) {
                assertTrue(socket.due == HeartbeatWheel.NEVER || socket.due - now > 0,
                        "every socket due by the turn was looked at in it");
            }
            live.removeIf(socket -> socket.due == HeartbeatWheel.NEVER);
        }
        int looks = live.stream().mapToInt(s -> s.looks).sum();
        int early = live.stream().mapToInt(s -> s.earlyLooks).sum();
        assertTrue(looks > 10_000 && early > 0, "the run exercised the wheel: " + looks + " looks, " + early + " early");
        assertEquals(live.size(), wheel.size(), "a closed socket leaves the wheel at its look, the others stay");
    }

    @Test
    void aSocketNotDueWhenItsSlotComesRoundIsLookedAtAgainInTheNextTurn() {
        HeartbeatWheel<Socket> wheel = new HeartbeatWheel<>(TICK, HORIZON);
        Socket socket = new Socket();
        wheel.add(socket);
        List<Long> looks = new ArrayList<>();
        HeartbeatWheel.Look<Socket> look = (s, at) -> {
            looks.add(at);
            return at < 1_050 ? 1_050 : HeartbeatWheel.NEVER; // due half-way through the tick of 1,000
        };
        wheel.turn(0, look);
        wheel.turn(1_010, look); // its slot, but not due yet
        wheel.turn(1_060, look); // the same tick: due now
        wheel.turn(1_200, look);
        assertEquals(List.of(0L, 1_010L, 1_060L), looks);
        assertEquals(0, wheel.size());
    }

    @Test
    void socketsAddedWhileItTurnsAreEachLookedAtOnce() throws InterruptedException {
        HeartbeatWheel<Socket> wheel = new HeartbeatWheel<>(TICK, HORIZON);
        AtomicInteger looked = new AtomicInteger();
        List<Thread> adders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread adder = new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    wheel.add(new Socket());
                }
            });
            adders.add(adder);
            adder.start();
        }
        long now = 0;
        while (adders.stream().anyMatch(Thread::isAlive)) {
            wheel.turn(now += TICK, (socket, at) -> {
                assertNotEquals(1, socket.looks++, "looked at twice");
                looked.incrementAndGet();
                return HeartbeatWheel.NEVER;
            });
        }
        for (Thread adder : adders) {
            adder.join();
        }
        wheel.turn(now + TICK, (socket, at) -> {
            looked.incrementAndGet();
            return HeartbeatWheel.NEVER;
        });
        assertEquals(80_000, looked.get());
        assertEquals(0, wheel.size());
    }
}
