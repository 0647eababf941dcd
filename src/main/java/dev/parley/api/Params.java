package dev.parley.api;

import static dev.parley.api.JsonP.JSON;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Parses request parameters and bodies, turning anything malformed into a 400 that names the parameter. */
public final class Params {

    private Params() {
    }

    /** An instant: ISO-8601 ({@code 2026-11-23T20:15:00Z}), or a date meaning its start in UTC. */
    public static Instant instant(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(raw.trim());
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(raw.trim()).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw ApiException.badRequest("'" + name + "' must be an ISO-8601 instant such as 2026-11-23T20:15:00Z");
            }
        }
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

    /** A JSON object body; an empty body is an empty object. */
    public static JsonObject body(String raw) {
        if (raw == null || raw.isBlank()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        try (JsonReader reader = JSON.createReader(new StringReader(raw))) {
            JsonValue value = reader.readValue();
            if (value instanceof JsonObject object) {
                return object;
            }
        } catch (JsonException | IllegalStateException e) {
            throw ApiException.badRequest("the body is not valid JSON");
        }
        throw ApiException.badRequest("the body must be a JSON object");
    }
}
