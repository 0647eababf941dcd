package dev.parley.signaling;

import dev.parley.config.ParleyConfig;
import dev.parley.config.ParleyConfig.WsTransport;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.WebListener;
import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Puts one transport behind {@code /signal}, as {@code parley.ws.transport} says: Parley's framing over the Servlet
 * upgrade ({@link WsHandshakeServlet}, the default), or the container's WebSocket stack ({@link SignalingEndpoint}).
 * The container asks the {@link EndpointChoice} which endpoints to deploy and runs this listener at start-up.
 */
@WebListener
public class WsTransportSetup implements ServletContextListener {

    static WsTransport transport() {
        return ParleyConfig.wsTransport(ConfigProvider.getConfig(WsTransportSetup.class.getClassLoader()));
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        if (transport() != WsTransport.SERVLET) {
            return;
        }
        ServletRegistration.Dynamic servlet = event.getServletContext().addServlet("parley-signal", WsHandshakeServlet.class);
        servlet.addMapping("/signal");
        servlet.setAsyncSupported(true);
    }

    /** Leaves {@link SignalingEndpoint} out when the servlet transport holds {@code /signal}. */
    public static class EndpointChoice implements ServerApplicationConfig {

        @Override
        public Set<ServerEndpointConfig> getEndpointConfigs(Set<Class<? extends Endpoint>> endpoints) {
            return Set.of();
        }

        @Override
        public Set<Class<?>> getAnnotatedEndpointClasses(Set<Class<?>> scanned) {
            Set<Class<?>> chosen = new HashSet<>(scanned);
            if (transport() == WsTransport.SERVLET) {
                chosen.remove(SignalingEndpoint.class);
            }
            return chosen;
        }
    }
}
