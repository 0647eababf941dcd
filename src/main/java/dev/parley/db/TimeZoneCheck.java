package dev.parley.db;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * History is stored as UTC wall-clock times, and JDBC drivers and the JPA provider carry them through the JVM's
 * zone. A zone with a fixed offset gets every time back as written; one with daylight saving has an hour a year
 * that does not exist locally, and a time in it comes back an hour late. Parley cannot change the JVM's zone (other
 * applications share it), so it says so at start-up, where an operator looks, instead of in a report months later.
 */
public final class TimeZoneCheck {

    private TimeZoneCheck() {
    }

    /** The warning to log for the JVM running in {@code zone}, or empty when its times round-trip. */
    public static Optional<String> warningFor(ZoneId zone) {
        // Zones whose offset changed once in the past (Asia/Tokyo) but changes no more are as good as fixed.
        if (zone.getRules().isFixedOffset() || zone.getRules().nextTransition(Instant.now()) == null) {
            return Optional.empty();
        }
        return Optional.of("The JVM runs in time zone " + zone.getId() + ", which has daylight saving:"
                + " call history stored in the hour its clocks skip comes back an hour late. Run the JVM in UTC"
                + " (-Duser.timezone=UTC or TZ=UTC); see the README's production checklist");
    }
}
