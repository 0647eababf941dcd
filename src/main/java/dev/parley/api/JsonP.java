package dev.parley.api;

import jakarta.json.spi.JsonProvider;

/**
 * The JSON-P provider Parley builds and reads JSON with, looked up once. {@code Json.createObjectBuilder()} and the
 * other {@code Json.create…} shortcuts look the provider up with a {@link java.util.ServiceLoader} on every call; on
 * Payara that lookup goes through the web application's class loader and reads the server's jars (2.5 % of Payara's
 * CPU while 4,000 sockets joined, in a JFR profile: each join sends its ICE servers, built with them).
 */
public final class JsonP {

    public static final JsonProvider JSON = JsonProvider.provider();

    private JsonP() {
    }
}
