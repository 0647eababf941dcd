package dev.parley.metrics;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/** Writes metric families in the Prometheus text exposition format 0.0.4. */
final class PrometheusText {

    private final StringBuilder out = new StringBuilder(4096);

    void gauge(String name, String help, double value) {
        header(name, help, "gauge");
        sample(name, "", value);
    }

    void counter(String name, String help, long value) {
        header(name, help, "counter");
        sample(name, "", value);
    }

    void counters(String name, String help, String label, Map<String, LongAdder> values) {
        labelled(name, help, "counter", label, values);
    }

    void gauges(String name, String help, String label, Map<String, LongAdder> values) {
        labelled(name, help, "gauge", label, values);
    }

    void histogram(String name, String help, double[] bounds, long[] cumulative, double sum) {
        header(name, help, "histogram");
        for (int i = 0; i < bounds.length; i++) {
            sample(name + "_bucket", "{le=\"" + plain(bounds[i]) + "\"}", cumulative[i]);
        }
        long count = cumulative[cumulative.length - 1];
        sample(name + "_bucket", "{le=\"+Inf\"}", count);
        sample(name + "_sum", "", sum);
        sample(name + "_count", "", count);
    }

    private void labelled(String name, String help, String type, String label, Map<String, LongAdder> values) {
        header(name, help, type);
        new TreeMap<>(values).forEach((value, adder) ->
                sample(name, "{" + label + "=\"" + escape(value) + "\"}", adder.sum()));
    }

    private void header(String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void sample(String name, String labels, double value) {
        out.append(name).append(labels).append(' ');
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(value);
        }
        out.append('\n');
    }

    /** 0.0001 rather than Java's 1.0E-4: both parse, the plain one reads better on a dashboard. */
    private static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
