package dev.parley.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback in front of the server, for a network that goes away without closing anything: {@link
 * #freeze} stops every connection open at that moment from passing a byte either way, and leaves the sockets open, as
 * when a laptop sleeps or a phone changes networks. Neither side sees a close; each must find the silence by its own
 * heartbeat. Connections opened later pass normally (the network is back).
 */
public final class FreezableProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final AtomicInteger webSockets = new AtomicInteger();
    private volatile boolean refusing;

    public FreezableProxy(URL server) throws IOException {
        this.target = new InetSocketAddress(server.getHost(), server.getPort());
        this.path = server.getPath().isEmpty() ? "/" : server.getPath();
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private final String path;

    /** The server's base URL through this proxy. */
    public String base() {
        return "http://127.0.0.1:" + listener.getLocalPort() + path;
    }

    /** WebSocket handshakes that have come through so far. */
    public int webSockets() {
        return webSockets.get();
    }

    /** From now on, the connections open now carry nothing either way. */
    public void freeze() {
        for (Link link : links) {
            link.frozen = true;
        }
    }

    /** The network goes away: the connections open now carry nothing (see freeze), and new ones fail until restore. */
    public void cut() {
        refusing = true;
        freeze();
    }

    /** New connections pass again; the ones frozen stay frozen (see thaw). */
    public void restore() {
        refusing = false;
    }

    /**
     * The network is back before either side gave up: what the frozen connections held goes through, in order, late
     * (as TCP delivers it after a short outage).
     */
    public void thaw() {
        for (Link link : links) {
            link.frozen = false;
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (refusing) {
                    client.close();
                    continue;
                }
                Socket server;
                try {
                    server = new Socket(target.getAddress(), target.getPort());
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                Link link = new Link(client, server);
                links.add(link);
                pump(link, client.getInputStream(), server.getOutputStream(), true);
                pump(link, server.getInputStream(), client.getOutputStream(), false);
            } catch (IOException e) {
                // the proxy is closed
            }
        }
    }

    private void pump(Link link, InputStream in, OutputStream out, boolean fromClient) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (fromClient && !link.seen) {
                        link.seen = true;
                        String head = new String(buffer, 0, n, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                        if (head.contains("upgrade: websocket")) {
                            webSockets.incrementAndGet();
                        }
                    }
                    while (link.frozen && !link.closed) {
                        Thread.sleep(50); // what came in is held: lost with the network, unless it thaws
                    }
                    if (link.closed) {
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // one side closed
            } finally {
                if (!link.frozen) {
                    link.close(); // passed on, as a network passes a close; a frozen one passes nothing
                }
            }
        }, "proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Link link : links) {
            link.close();
        }
    }

    private static final class Link {
        final Socket client;
        final Socket server;
        volatile boolean frozen;
        volatile boolean closed;
        /** Whether the client's first bytes (its request) have been looked at. */
        boolean seen;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void close() {
            closed = true;
            closeQuietly(client);
            closeQuietly(server);
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
