package dev.parley.signaling;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;

/**
 * Copies what the history needs to know about a client (its User-Agent, and the address
 * {@code dev.parley.security.OriginFilter} stamped) from the handshake into the session's properties.
 * The container hands each handshake its own copy of the endpoint configuration.
 */
public class HandshakeConfigurator extends ServerEndpointConfig.Configurator {

    public static final String USER_AGENT = "parley.userAgent";
    public static final String CLIENT_ADDRESS = "parley.clientAddress";
    /** Set by the Origin filter from the socket's remote address; a client-sent value is overwritten. */
    public static final String ADDRESS_HEADER = "X-Parley-Client-Address";
    private static final int MAX_USER_AGENT = 256;

    /** The User-Agent as history keeps it: at most 256 characters, "" when none was sent. */
    static String userAgent(String header) {
        return header == null ? "" : header.substring(0, Math.min(header.length(), MAX_USER_AGENT));
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        config.getUserProperties().put(USER_AGENT, userAgent(first(request, "User-Agent")));
        String address = first(request, ADDRESS_HEADER);
        config.getUserProperties().put(CLIENT_ADDRESS, address == null ? "" : address);
    }

    private static String first(HandshakeRequest request, String name) {
        for (var header : request.getHeaders().entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                List<String> values = header.getValue();
                return values == null || values.isEmpty() ? null : values.get(0);
            }
        }
        return null;
    }
}
