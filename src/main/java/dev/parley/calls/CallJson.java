package dev.parley.calls;

import static dev.parley.api.JsonP.JSON;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** The Call object of PROTOCOL.md §2. Absent values are written as null so every field is always there. */
public final class CallJson {

    private CallJson() {
    }

    public static JsonObject of(Call c) {
        JsonObjectBuilder quality = JSON.createObjectBuilder();
        if (c.callerQuality != null && !c.callerQuality.isEmpty()) {
            quality.add("caller", quality(c.callerQuality));
        }
        if (c.calleeQuality != null && !c.calleeQuality.isEmpty()) {
            quality.add("callee", quality(c.calleeQuality));
        }
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("id", c.id)
                .add("room", c.roomName)
                .add("caller", side(c.callerId, c.callerName, c.callerUserAgent, c.callerAddress))
                .add("callee", side(c.calleeId, c.calleeName, c.calleeUserAgent, c.calleeAddress))
                .add("status", c.status);
        instant(json, "startedAt", c.startedAt);
        instant(json, "answeredAt", c.answeredAt);
        instant(json, "endedAt", c.endedAt);
        nullable(json, "endReason", c.endReason);
        json.add("durationS", c.durationS == null ? 0 : c.durationS);
        if (c.setupMs == null) {
            json.addNull("setupMs");
        } else {
            json.add("setupMs", c.setupMs);
        }
        return json.add("quality", quality).build();
    }

    private static JsonObjectBuilder side(String id, String name, String userAgent, String address) {
        JsonObjectBuilder side = JSON.createObjectBuilder().add("id", id).add("name", name);
        nullable(side, "userAgent", userAgent);
        nullable(side, "address", address);
        return side;
    }

    public static String instant(LocalDateTime utc) {
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC).toString();
    }

    private static JsonObjectBuilder quality(CallQuality q) {
        JsonObjectBuilder json = JSON.createObjectBuilder();
        number(json, "rttMs", q.rttMs);
        number(json, "jitterMs", q.jitterMs);
        number(json, "packetsLostPct", q.packetsLostPct);
        number(json, "bitrateKbps", q.bitrateKbps);
        nullable(json, "candidateType", q.candidateType);
        return json;
    }

    private static void instant(JsonObjectBuilder json, String field, LocalDateTime utc) {
        nullable(json, field, instant(utc));
    }

    private static void nullable(JsonObjectBuilder json, String field, String value) {
        if (value == null) {
            json.addNull(field);
        } else {
            json.add(field, value);
        }
    }

    private static void number(JsonObjectBuilder json, String field, Double value) {
        if (value == null) {
            json.addNull(field);
        } else {
            json.add(field, value);
        }
    }
}
