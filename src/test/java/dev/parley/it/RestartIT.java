package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.it.support.Api;
import dev.parley.it.support.ParleyWar;
import dev.parley.it.support.PayaraServer;
import dev.parley.it.support.WsClient;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * History survives a {@code kill -9} of the server: committed calls are all there after a restart, and the call
 * the crash cut is closed {@code server-restart} at start-up. Runs on H2 (a file under a temporary data dir)
 * and, in the PostgreSQL execution, on PostgreSQL.
 */
@Tag("database")
class RestartIT {

    @Test
    void historySurvivesAKillAndTheCutCallIsClosedServerRestart() throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of("parley.admin.token", Api.ADMIN_TOKEN));
        if ("postgres".equals(System.getProperty("parley.it.db"))) {
            settings.put("parley.db.url", System.getProperty("parley.it.pg.url"));
            settings.put("parley.db.user", "postgres");
        } else {
            settings.put("parley.data.dir", Files.createTempDirectory("parley-restart").toString());
        }
        String room = ParleyWar.room("restart");
        String finishedCall;
        String cutCall;
        try (PayaraServer first = PayaraServer.start("restart-a", settings)) {
            WsClient a = WsClient.joined(first.base(), room, "A");
            WsClient b = WsClient.joined(first.base(), room, "B");
            a.expect("peer-joined");
            a.send("offer", "sdp", "v=0\r\n");
            finishedCall = b.expect("offer").getString("callId");
            b.send("answer", "sdp", "v=0\r\n");
            a.expect("answer");
            a.send("hangup");
            b.expect("hangup");
            a.send("offer", "sdp", "v=0\r\n");
            cutCall = b.expect("offer").getString("callId");
            b.send("answer", "sdp", "v=0\r\n");
            a.expect("answer");
            // The REST read waits for the history writer, so the active call is committed before the kill.
            assertEquals("active", new Api(first.base()).adminJson("api/calls/" + cutCall).getString("status"));
            first.kill();
            a.drop();
            b.drop();
        }
        try (PayaraServer second = PayaraServer.start("restart-b", settings)) {
            Api api = new Api(second.base());
            JsonObject finished = api.adminJson("api/calls/" + finishedCall);
            assertEquals("ended", finished.getString("status"));
            assertEquals("hangup", finished.getString("endReason"));
            JsonObject cut = api.adminJson("api/calls/" + cutCall);
            assertEquals("ended", cut.getString("status"));
            assertEquals("server-restart", cut.getString("endReason"));
            assertFalse(cut.isNull("endedAt"));
            assertEquals(2, api.adminJson("api/calls?room=" + room).getInt("total"));
            String metrics = api.adminGet("api/metrics").body();
            assertTrue(metrics.contains("\nparley_calls_ended_total{reason=\"server-restart\"} 1\n"),
                    "the call closed at start-up is counted: " + metrics);
        }
    }
}
