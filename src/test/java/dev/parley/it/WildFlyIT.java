package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.parley.it.support.Api;
import dev.parley.it.support.WildFlyServer;
import jakarta.json.JsonObject;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The same WAR, unchanged, on WildFly 39 ({@code standalone-microprofile.xml}, deployed as {@code ROOT.war}):
 * the whole signaling and REST contract against one server, plus what differs there (health on the management
 * port). The database is chosen the way the README tells WildFly users to: embedded H2 by default, PostgreSQL by
 * the environment variables {@code PARLEY_DB_URL}/{@code PARLEY_DB_USER} in the PostgreSQL execution, which also
 * runs WildFly with the README's tuning ({@code wildfly.websockets}: frames handled on Undertow's I/O threads).
 * {@code -DskipWildFlyIT=true} skips it.
 */
@Tag("database")
class WildFlyIT {

    static WildFlyServer server;

    @BeforeAll
    static void start() throws Exception {
        assumeFalse(Boolean.getBoolean("skipWildFlyIT"), "skipWildFlyIT");
        Map<String, String> environment = new HashMap<>();
        if ("postgres".equals(System.getProperty("parley.it.db"))) {
            environment.put("PARLEY_DB_URL", System.getProperty("parley.it.pg.url"));
            environment.put("PARLEY_DB_USER", "postgres");
        }
        server = WildFlyServer.start("contract", WildFlyServer.itSettings(), environment);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void healthIsOnTheManagementPortWithParleysReadiness() {
        HttpResponse<String> ready = new Api(server.management()).get("health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        JsonObject parley = Api.object(ready.body()).getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getString("name").equals("parley")).findFirst().orElseThrow();
        assertEquals("UP", parley.getString("status"));
        assertTrue(parley.getJsonObject("data").getBoolean("database"));
        assertEquals(200, new Api(server.management()).get("health/live").statusCode());
        String database = "postgres".equals(System.getProperty("parley.it.db")) ? "jdbc:postgresql:" : "jdbc:h2:";
        assertTrue(server.log().contains("Parley database: " + database), "the database chosen on the server side");
    }

    @Test
    void openApiIsServedBesideTheWarAtTheRoot() {
        HttpResponse<String> openapi = new Api(server.base()).get("openapi");
        assertEquals(200, openapi.statusCode());
        assertTrue(openapi.body().contains("/api/rooms"), "the WAR's resources are described");
    }

    @Nested
    class Signaling extends SignalingContract {
        @Override
        protected URL base() {
            return server.base();
        }
    }

    @Nested
    class Rest extends RestContract {
        @Override
        protected URL base() {
            return server.base();
        }
    }
}
