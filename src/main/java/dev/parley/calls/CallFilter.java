package dev.parley.calls;

import java.time.Instant;

/** Which calls a history query or export selects; null fields do not filter. {@code from} inclusive, {@code to} exclusive, on startedAt. */
public record CallFilter(String room, String status, String reason, Instant from, Instant to) {
}
