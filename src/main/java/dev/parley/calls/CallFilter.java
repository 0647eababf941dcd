package dev.parley.calls;

import java.time.Instant;

/**
 * Which calls a history query or export selects; null fields do not filter. {@code from} is inclusive and
 * {@code to} exclusive, on startedAt; {@code participant} matches either side's display name, ignoring case.
 */
public record CallFilter(String room, String status, String reason, Instant from, Instant to, String participant,
                         Long minDurationS) {
}
