package dev.parley.signaling;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** A {@link Wire} on the container's WebSocket stack: Tyrus on Payara, Undertow on WildFly. */
final class SessionWire implements Wire {

    /**
     * The context class loader of the container's send calls: the JDK's. For every frame sent, Payara's Tyrus
     * reschedules the session's idle-timeout task on the managed scheduler, and Payara captures the thread context
     * for that task with a ServiceLoader lookup through the context class loader; with the application's loader that
     * reads the jars of the server and the WAR on every frame (by JFR, most of the CPU of the heartbeat pings). Nothing
     * is loaded during a send, and Parley sets no idle timeout, so that task does nothing.
     */
    private static final ClassLoader SEND_LOADER = ClassLoader.getPlatformClassLoader();
    private static final ByteBuffer NO_DATA = ByteBuffer.allocate(0);

    private final Session session;
    private final RemoteEndpoint.Async remote;

    SessionWire(Session session) {
        this.session = session;
        this.remote = session.getAsyncRemote();
    }

    @Override
    public void sendText(String text, Consumer<Boolean> done) throws IOException {
        withSendLoader(() -> remote.sendText(text, result -> done.accept(result.isOK())));
    }

    @Override
    public void sendPing() throws IOException {
        withSendLoader(() -> remote.sendPing(NO_DATA.duplicate()));
    }

    @Override
    public boolean isOpen() {
        return session.isOpen();
    }

    @Override
    public void close(int code, String reason) throws IOException {
        session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
    }

    private interface Send {
        void run() throws IOException;
    }

    private static void withSendLoader(Send send) throws IOException {
        Thread thread = Thread.currentThread();
        ClassLoader loader = thread.getContextClassLoader();
        thread.setContextClassLoader(SEND_LOADER);
        try {
            send.run();
        } finally {
            thread.setContextClassLoader(loader);
        }
    }
}
