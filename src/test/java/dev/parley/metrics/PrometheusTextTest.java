package dev.parley.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void labelledCountersAreSortedAndTheirValuesEscaped() {
        PrometheusText out = new PrometheusText();
        out.counters("parley_errors_total", "Errors by code", "code",
                Map.of("rate-limited", adder(3), "we\"ird\\\n", adder(1)));

        assertEquals("""
                # HELP parley_errors_total Errors by code
                # TYPE parley_errors_total counter
                parley_errors_total{code="rate-limited"} 3
                parley_errors_total{code="we\\"ird\\\\\\n"} 1
                """, out.toString());
    }

    @Test
    void wholeNumbersAreWrittenWithoutAFractionAndOthersInFull() {
        PrometheusText out = new PrometheusText();
        out.gauge("g", "whole", 42);
        out.gauge("h", "fraction", 0.25);

        assertEquals("""
                # HELP g whole
                # TYPE g gauge
                g 42
                # HELP h fraction
                # TYPE h gauge
                h 0.25
                """, out.toString());
    }

    @Test
    void histogramBucketsAreCumulativeWithInfSumAndCount() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.observe(50_000);          // 50 µs: first bucket (0.0001 s)
        histogram.observe(100_000);         // exactly on the first bound: still in it (le is inclusive)
        histogram.observe(3_000_000);       // 3 ms: in le=0.005
        histogram.observe(5_000_000_000L);  // 5 s: beyond the last bound, only in +Inf

        long[] cumulative = histogram.cumulative();
        assertEquals(LatencyHistogram.BOUNDS.length + 1, cumulative.length);
        assertArrayEquals(new long[] {2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4}, cumulative);
        assertEquals(5.00315, histogram.sumSeconds(), 1e-9);

        PrometheusText out = new PrometheusText();
        out.histogram("lat", "latency", LatencyHistogram.BOUNDS, cumulative, histogram.sumSeconds());
        String text = out.toString();
        assertEquals(true, text.contains("lat_bucket{le=\"0.0001\"} 2\n"), text);
        assertEquals(true, text.contains("lat_bucket{le=\"1\"} 3\n"), text);
        assertEquals(true, text.contains("lat_bucket{le=\"0.005\"} 3\n"), text);
        assertEquals(true, text.contains("lat_bucket{le=\"+Inf\"} 4\n"), text);
        assertEquals(true, text.contains("lat_count 4\n"), text);
        assertEquals(true, text.contains("lat_sum 5.00315\n"), text);
    }

    private static LongAdder adder(long value) {
        LongAdder adder = new LongAdder();
        adder.add(value);
        return adder;
    }
}
