package dev.parley.signaling;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Keeps each socket in the slot of the heartbeat tick at which it may next need a ping or be found dead, so that a tick
 * looks only at the sockets due then. Looking at every socket every tick was the largest part of an idle server's CPU
 * (10,000 sockets, ten ticks a second), though an idle socket needs a look about twice per ping interval.
 *
 * <p>A socket is looked at in the first {@link #turn} at or after the time its last look asked for, never later: a
 * socket that is not due yet when its slot comes round waits in the current slot, which the next turn reads again. The
 * slots cover one {@code horizon}; a socket asking for a later time is looked at early, and simply asks again.
 *
 * <p>{@link #add} may be called from any thread; {@link #turn} by one thread at a time (the heartbeat).
 */
final class HeartbeatWheel<T> {

    /** What a look at a socket returns when the socket needs no more looks (it has closed). */
    static final long NEVER = Long.MIN_VALUE;

    /** Looks at one socket at {@code now}: pings it or closes it if due, and says when to look again (or NEVER). */
    interface Look<T> {
        long at(T socket, long now);
    }

    private final long tickNanos;
    private final ArrayDeque<T>[] slots;
    /** Sockets added since the last turn: looked at in the next one. */
    private final Queue<T> arrivals = new ConcurrentLinkedQueue<>();
    /** The sockets of the turn under way. */
    private final ArrayDeque<T> taken = new ArrayDeque<>();
    /** The tick of the last turn; the next turn reads its slot again, then every slot up to its own tick. */
    private long lastTick;
    private boolean turned;

    @SuppressWarnings("unchecked")
    HeartbeatWheel(long tickNanos, long horizonNanos) {
        this.tickNanos = tickNanos;
        this.slots = new ArrayDeque[(int) (horizonNanos / tickNanos) + 2];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new ArrayDeque<>();
        }
    }

    void add(T socket) {
        arrivals.add(socket);
    }

    /** Looks at the sockets due by {@code now} (nanoTime) and at those added since the last turn. */
    void turn(long now, Look<T> look) {
        long tick = Math.floorDiv(now, tickNanos);
        if (!turned) {
            turned = true;
            lastTick = tick;
        }
        // After a long stall every slot is read once: a socket in it that is not due yet waits again.
        long first = Math.max(lastTick, tick - slots.length + 1);
        lastTick = tick;
        // Taken out of their slots before any is looked at, so a socket put back is not met again in this turn.
        for (long t = first; t <= tick; t++) {
            ArrayDeque<T> slot = slots[Math.floorMod(t, slots.length)];
            for (T socket = slot.poll(); socket != null; socket = slot.poll()) {
                taken.add(socket);
            }
        }
        for (T socket = arrivals.poll(); socket != null; socket = arrivals.poll()) {
            taken.add(socket);
        }
        for (T socket = taken.poll(); socket != null; socket = taken.poll()) {
            lookAt(socket, now, tick, look);
        }
    }

    private void lookAt(T socket, long now, long tick, Look<T> look) {
        long next = look.at(socket, now);
        if (next == NEVER) {
            return;
        }
        // Never a slot before this turn's (it was read), nor past the last one the wheel holds apart from it.
        long at = Math.min(Math.max(Math.floorDiv(next, tickNanos), tick), tick + slots.length - 1);
        slots[Math.floorMod(at, slots.length)].add(socket);
    }

    /** Sockets held (waiting in a slot, or added and not yet looked at): those closed leave at their next look. */
    int size() {
        int size = arrivals.size();
        for (ArrayDeque<T> slot : slots) {
            size += slot.size();
        }
        return size;
    }
}
