package dev.parley.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimeZoneCheckTest {

    @Test
    void zonesWithAFixedOffsetStoreEveryTimeAsWritten() {
        assertEquals(Optional.empty(), TimeZoneCheck.warningFor(ZoneOffset.UTC));
        assertEquals(Optional.empty(), TimeZoneCheck.warningFor(ZoneId.of("UTC")));
        assertEquals(Optional.empty(), TimeZoneCheck.warningFor(ZoneId.of("Etc/GMT")));
        assertEquals(Optional.empty(), TimeZoneCheck.warningFor(ZoneOffset.ofHoursMinutes(5, 30)));
        // no daylight saving now, whatever their offsets did in the past
        assertEquals(Optional.empty(), TimeZoneCheck.warningFor(ZoneId.of("Asia/Tokyo")));
        assertEquals(Optional.empty(), TimeZoneCheck.warningFor(ZoneId.of("Asia/Kolkata")));
    }

    @Test
    void aZoneWithDaylightSavingIsNamedWithTheCure() {
        String warning = TimeZoneCheck.warningFor(ZoneId.of("Europe/Berlin")).orElseThrow();
        assertTrue(warning.contains("Europe/Berlin"), warning);
        assertTrue(warning.contains("-Duser.timezone=UTC"), warning);
        assertTrue(TimeZoneCheck.warningFor(ZoneId.of("America/New_York")).isPresent());
    }
}
