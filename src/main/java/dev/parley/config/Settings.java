package dev.parley.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * Reads raw {@code parley.*} values from MicroProfile Config and turns each one into a typed value,
 * failing with the key's name when a value cannot be used. Nothing here knows what a key means.
 */
final class Settings {

    private final Config config;

    Settings(Config config) {
        this.config = config;
    }

    Optional<String> text(String key) {
        return config.getOptionalValue(key, String.class).map(String::trim).filter(s -> !s.isEmpty());
    }

    String text(String key, String fallback) {
        return text(key).orElse(fallback);
    }

    int integer(String key, int fallback, int min, int max) {
        int value = parse(key, fallback, Integer::parseInt);
        if (value < min || value > max) {
            throw new InvalidSettingException(key, value + " is outside " + min + ".." + max);
        }
        return value;
    }

    /**
     * No setting is longer than a century: timers count nanoseconds in a long (292 years) and TURN expiries are
     * instants, so a longer one would overflow only when first used, long after start-up said all was well.
     */
    private static final Duration LONGEST = Duration.ofDays(36_500);

    Duration duration(String key, Duration fallback, Duration min) {
        Duration value = parse(key, fallback, Duration::parse);
        if (value.compareTo(min) < 0) {
            throw new InvalidSettingException(key, value + " is shorter than " + min);
        }
        if (value.compareTo(LONGEST) > 0) {
            throw new InvalidSettingException(key, value + " is longer than " + LONGEST.toDays() + " days");
        }
        return value;
    }

    /** A {@link #list} whose every item matches {@code form}, described by {@code expected} when one does not. */
    List<String> list(String key, Pattern form, String expected) {
        List<String> items = list(key);
        for (String item : items) {
            if (!form.matcher(item).matches()) {
                throw new InvalidSettingException(key, "'" + item + "' is not " + expected);
            }
        }
        return items;
    }

    boolean flag(String key, boolean fallback) {
        return parse(key, fallback, raw -> {
            if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(raw);
            }
            throw new IllegalArgumentException("expected true or false");
        });
    }

    /**
     * A comma-separated list; blank entries are dropped, and each item is kept once: a webhook URL given twice would
     * break the outbox's key (event, URL) on every event, and with it the history write the delivery is part of.
     */
    List<String> list(String key) {
        return text(key).map(raw -> Arrays.stream(raw.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).distinct().toList()).orElse(List.of());
    }

    private <T> T parse(String key, T fallback, Function<String, T> parser) {
        Optional<String> raw = text(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            return parser.apply(raw.get());
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new InvalidSettingException(key, "'" + raw.get() + "' is not a valid value");
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(key, "'" + raw.get() + "': " + e.getMessage());
        }
    }
}
