package dev.parley.api;

import static dev.parley.api.JsonP.JSON;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Parses request parameters and bodies, turning anything malformed into a 400 that names the parameter. */
public final class Params {

    /** The instants a query may name: what every database and {@code LocalDateTime} can hold. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private Params() {
    }

    /** An instant: ISO-8601 ({@code 2026-11-23T20:15:00Z}), or a date meaning its start in UTC. */
    public static Instant instant(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        Instant instant;
        try {
            instant = Instant.parse(raw.trim());
        } catch (DateTimeParseException e) {
            try {
                instant = LocalDate.parse(raw.trim()).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw ApiException.badRequest("'" + name + "' must be an ISO-8601 instant such as 2026-11-23T20:15:00Z");
            }
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw ApiException.badRequest("'" + name + "' must lie in the years 1 to 9999");
        }
        return instant;
    }

    public static int integer(String name, String raw, int fallback, int min, int max) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("'" + name + "' must be a whole number from " + min + " to " + max);
    }

    public static String oneOf(String name, String raw, Set<String> allowed) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        if (!allowed.contains(raw.trim())) {
            throw ApiException.badRequest("'" + name + "' must be one of " + String.join(", ", allowed));
        }
        return raw.trim();
    }

    /** A JSON object body, and nothing after it; an empty body is an empty object. */
    public static JsonObject body(String raw) {
        if (raw == null || raw.isBlank()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        JsonObject object;
        try (JsonParser parser = JSON.createParser(new StringReader(raw))) {
            if (parser.next() != JsonParser.Event.START_OBJECT) {
                throw ApiException.badRequest("the body must be a JSON object");
            }
            object = parser.getObject();
            if (parser.hasNext()) {
                throw ApiException.badRequest("the body has more after its JSON object");
            }
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            // JsonParsingException, and what Parsson throws as a plain RuntimeException (nesting past its limit)
            throw ApiException.badRequest("the body is not valid JSON");
        }
        return object;
    }
}
