package dev.parley.signaling;

import static dev.parley.signaling.WsFrameDecoderTest.concat;
import static dev.parley.signaling.WsFrameDecoderTest.frame;
import static dev.parley.signaling.WsFrameDecoderTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.ParleyConfig;
import dev.parley.testing.MapConfig;
import dev.parley.testing.World;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.WebConnection;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A socket on the Servlet upgrade, end to end on one thread: client frames in through a fake non-blocking input stream,
 * Parley's frames out through a fake output stream that takes bytes only while the test lets it, as a client's TCP
 * window does.
 */
class WsConnectionTest {

    private World world;
    private Connections connections;
    private final Client client = new Client();

    @BeforeEach
    void start() {
        world = new World();
        ParleyConfig config = new ParleyConfig(MapConfig.of("parley.admin.token", "t"));
        connections = ConnectionsOfWorld.of(world, config);
    }

    /** The client's end: what it sent that the server has not read, and the server's frames it has received. */
    private static final class Client implements WebConnection {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] unread = new byte[0];
        boolean writable = true;
        boolean closed;
        ReadListener reader;
        WriteListener writer;

        final ServletInputStream in = new ServletInputStream() {
            @Override
            public boolean isFinished() {
                return false;
            }

            @Override
            public boolean isReady() {
                return unread.length > 0;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                reader = listener;
            }

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = Math.min(len, unread.length);
                System.arraycopy(unread, 0, b, off, n);
                unread = java.util.Arrays.copyOfRange(unread, n, unread.length);
                return n;
            }
        };

        final ServletOutputStream out = new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return writable && !closed;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                writer = listener;
            }

            @Override
            public void write(int b) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (!writable) {
                    throw new IllegalStateException("write while not ready");
                }
                received.write(b, off, len);
            }
        };

        @Override
        public ServletInputStream getInputStream() {
            return in;
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return out;
        }

        @Override
        public void close() {
            closed = true;
        }

        void send(byte[] bytes) {
            unread = concat(unread, bytes);
            try {
                reader.onDataAvailable();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** The server's frames received so far, each as opcode and payload text; the buffer is emptied. */
        List<String> frames() {
            byte[] b = received.toByteArray();
            received.reset();
            List<String> frames = new ArrayList<>();
            int pos = 0;
            while (pos < b.length) {
                assertEquals(0x80, b[pos] & 0x80, "server frames are never fragmented");
                assertEquals(0, b[pos + 1] & 0x80, "server frames are never masked");
                int len = b[pos + 1] & 0x7F;
                int header = 2;
                if (len == 126) {
                    len = (b[pos + 2] & 0xFF) << 8 | (b[pos + 3] & 0xFF);
                    header = 4;
                }
                int opcode = b[pos] & 0x0F;
                String payload = opcode == 0x8 && len >= 2
                        ? ((b[pos + header] & 0xFF) << 8 | (b[pos + header + 1] & 0xFF)) + ""
                        : new String(b, pos + header, len, StandardCharsets.UTF_8);
                frames.add(opcode + ":" + payload);
                pos += header + len;
            }
            return frames;
        }
    }

    private WsConnection open() {
        WsConnection socket = new WsConnection();
        socket.configure(connections, world.timers, Duration.ofSeconds(5), 65536,
                "Mozilla/5.0 (test)", "127.0.0.1");
        socket.init(client);
        return socket;
    }

    private static JsonObject json(String frame) {
        return Json.createReader(new StringReader(frame.substring(frame.indexOf(':') + 1))).readObject();
    }

    @Test
    void aJoinOverTheUpgradeIsAnsweredAndPingsArePonged() {
        open();
        assertEquals(1, connections.openCount());

        client.send(frame(0x81, text("{\"type\":\"join\",\"room\":\"demo\",\"name\":\"Ann\"}")));
        List<String> frames = client.frames();
        assertEquals(1, frames.size());
        assertEquals("joined", json(frames.get(0)).getString("type"));
        assertEquals("demo", json(frames.get(0)).getString("room"));

        client.send(concat(frame(0x89, text("a")), frame(0x89, text("b"))));
        assertEquals(List.of("10:a", "10:b"), client.frames(), "each ping answered with its payload");
    }

    @Test
    void aClientThatStopsReadingHoldsItsFramesUntilTheStreamTakesMore() throws Exception {
        WsConnection socket = open();
        client.send(frame(0x81, text("{\"type\":\"join\",\"room\":\"demo\",\"name\":\"Ann\"}")));
        client.frames();
        client.writable = false;

        client.send(frame(0x81, text("{\"type\":\"nonsense\"}"))); // answered with an error frame
        client.send(frame(0x81, text("{\"type\":\"ping\"}"))); // and a pong, queued behind it
        assertEquals(List.of(), client.frames(), "nothing is written while the stream is not ready");

        client.writable = true;
        client.writer.onWritePossible();
        List<String> frames = client.frames();
        assertEquals(2, frames.size(), "both go out, in order, once it is");
        assertEquals("error", json(frames.get(0)).getString("type"));
        assertEquals("pong", json(frames.get(1)).getString("type"));
        assertTrue(socket.isOpen());
    }

    @Test
    void theClientsCloseIsEchoedAndTheSocketEnds() {
        open();
        client.send(frame(0x81, text("{\"type\":\"join\",\"room\":\"demo\",\"name\":\"Ann\"}")));
        client.frames();

        client.send(frame(0x88, new byte[] {3, (byte) 0xE8}));

        assertEquals(List.of("8:1000"), client.frames());
        assertTrue(client.closed);
        assertEquals(0, connections.openCount(), "Parley was told");
    }

    @Test
    void parleysCloseWaitsForTheClientsAnswerOrGivesUp() {
        open();
        client.send(frame(0x81, text("{\"type\":\"hello\"}"))); // not a join: an error frame, the socket stays
        client.frames();
        client.send(frame(0x81, text("x".repeat(70_000)))); // over the 64 KiB limit
        assertEquals(List.of("8:1009"), client.frames());
        assertFalse(client.closed, "the close handshake is under way: the client answers first");

        client.send(frame(0x88, new byte[] {3, (byte) 0xF1}));
        assertTrue(client.closed);
        assertEquals(0, connections.openCount());

        Client silent = new Client();
        WsConnection other = new WsConnection();
        other.configure(connections, world.timers, Duration.ofSeconds(5), 65536, "", "");
        other.init(silent);
        silent.send(new byte[] {(byte) 0x81, 1, 'x'}); // unmasked: a protocol error
        assertEquals(List.of("8:1002"), silent.frames());
        world.timers.advance(Duration.ofSeconds(4));
        assertFalse(silent.closed);
        world.timers.advance(Duration.ofSeconds(2));
        assertTrue(silent.closed, "a client that never answers the close is cut off after the wait");
        assertEquals(0, connections.openCount());
    }

    @Test
    void whatAClientSendsAfterParleysCloseIsNotServed() {
        WsConnection socket = open();
        socket.close(1001, "no answer to pings"); // as the heartbeat's abort does, with no closing state in Connection
        assertEquals(List.of("8:1001"), client.frames());

        client.send(frame(0x81, text("{\"type\":\"join\",\"room\":\"demo\",\"name\":\"Ann\"}")));
        assertTrue(world.presence.room("demo").isEmpty(), "a join after the close seats no one");
    }

    @Test
    void binaryFramesAreRefusedWith1003() {
        open();
        client.send(frame(0x82, new byte[] {1, 2, 3}));
        assertEquals(List.of("8:1003"), client.frames());
    }
}
