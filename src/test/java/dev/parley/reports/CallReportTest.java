package dev.parley.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.reports.CallReport.Interval;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class CallReportTest {

    private static final LocalDateTime MONDAY_10H = LocalDateTime.of(2026, 11, 23, 10, 0);

    @Test
    void hourPeriodIsIsoInstantOfTheHour() {
        assertEquals("2026-11-23T10:00:00Z", CallReport.period(MONDAY_10H, Interval.HOUR));
        assertEquals("2026-11-23T09:00:00Z", CallReport.period(LocalDateTime.of(2026, 11, 23, 9, 0), Interval.HOUR));
        assertEquals("2026-11-23T00:00:00Z", CallReport.period(LocalDateTime.of(2026, 11, 23, 0, 0), Interval.HOUR));
    }

    @Test
    void dayPeriodIsTheDate() {
        assertEquals("2026-11-23", CallReport.period(LocalDateTime.of(2026, 11, 23, 0, 0), Interval.DAY));
        assertEquals("2026-01-05", CallReport.period(LocalDateTime.of(2026, 1, 5, 0, 0), Interval.DAY));
    }

    @Test
    void weekPeriodIsIsoWeek() {
        assertEquals("2026-W48", CallReport.period(LocalDateTime.of(2026, 11, 23, 0, 0), Interval.WEEK));
        assertEquals("2026-W48", CallReport.period(LocalDateTime.of(2026, 11, 29, 23, 0), Interval.WEEK));
    }

    @Test
    void singleDigitWeeksArePadded() {
        assertEquals("2026-W02", CallReport.period(LocalDateTime.of(2026, 1, 5, 0, 0), Interval.WEEK));
    }

    @Test
    void weekAtTheYearBoundaryBelongsToItsIsoWeekYear() {
        // 2026 has 53 ISO weeks: Friday 2027-01-01 is still in 2026-W53.
        assertEquals("2026-W53", CallReport.period(LocalDateTime.of(2027, 1, 1, 0, 0), Interval.WEEK));
        assertEquals("2026-W53", CallReport.period(LocalDateTime.of(2026, 12, 28, 0, 0), Interval.WEEK));
        assertEquals("2027-W01", CallReport.period(LocalDateTime.of(2027, 1, 4, 0, 0), Interval.WEEK));
        // And the other way: Monday 2025-12-29 starts 2026-W01.
        assertEquals("2026-W01", CallReport.period(LocalDateTime.of(2025, 12, 29, 0, 0), Interval.WEEK));
    }
}
