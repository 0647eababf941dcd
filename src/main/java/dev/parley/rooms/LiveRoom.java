package dev.parley.rooms;

import dev.parley.calls.LiveCall;
import dev.parley.time.Timers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A room while it is open: its seats and its calls in progress. All mutation happens while holding
 * the room's monitor, so one room's events are ordered and rooms never wait on each other.
 */
public final class LiveRoom {

    public final String id;
    public final String name;
    public final int capacity;
    public final Instant createdAt;
    private final byte[] passwordHash;
    final Map<String, Member> members = new LinkedHashMap<>();
    /** Calls in progress, keyed by the pair of participants (see {@link #callKey}). */
    public final Map<CallKey, LiveCall> calls = new HashMap<>();
    long nextSeat;
    boolean closed;
    Timers.Timer idleTimer = Timers.NONE;

    LiveRoom(String id, String name, int capacity, String password, Instant createdAt) {
        this.id = id;
        this.name = name;
        this.capacity = capacity;
        this.createdAt = createdAt;
        this.passwordHash = password == null ? null : hash(id, password);
    }

    public boolean hasPassword() {
        return passwordHash != null;
    }

    boolean passwordMatches(String password) {
        return passwordHash == null
                || (password != null && MessageDigest.isEqual(passwordHash, hash(id, password)));
    }

    public Member member(String id) {
        return members.get(id);
    }

    public Collection<Member> members() {
        return members.values();
    }

    public List<Member> othersThan(Member self) {
        List<Member> others = new ArrayList<>(members.size());
        for (Member m : members.values()) {
            if (m != self) {
                others.add(m);
            }
        }
        return others;
    }

    /**
     * The only participant other than {@code self}, or null when the room holds none or several: the addressee of a
     * frame that leaves out {@code to}. Asked on every such relayed frame, so it builds no list.
     */
    public Member soleOtherThan(Member self) {
        Member other = null;
        for (Member m : members.values()) {
            if (m != self) {
                if (other != null) {
                    return null;
                }
                other = m;
            }
        }
        return other;
    }

    /** The key of the call between two participants, whichever of them called. */
    public static CallKey callKey(String a, String b) {
        return a.compareTo(b) < 0 ? new CallKey(a, b) : new CallKey(b, a);
    }

    /**
     * Two participant ids in order. Looked up on every relayed frame: the ids' strings keep their hashes, where a
     * string joined from them was built and hashed anew each time.
     */
    public record CallKey(String first, String second) {
    }

    private static byte[] hash(String salt, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt.getBytes(StandardCharsets.UTF_8));
            return sha.digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
