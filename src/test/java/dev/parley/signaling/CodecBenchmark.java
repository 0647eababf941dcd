package dev.parley.signaling;

import java.lang.management.ManagementFactory;

/**
 * Parley's own work on the relay path, in process on one thread: decoding an offer (3 KB SDP) and a candidate as
 * {@link MessageCodec} does, and writing the relayed frames as {@link Frames} does. Prints time and bytes allocated
 * per operation, over several rounds after a warm-up (the JIT's), and the same per message of the signaling
 * benchmark's mix (an offer, an answer and eight candidates). Allocation is the JVM's count for this thread.
 *
 * <p>Run: {@code mvn -B -DskipTests test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java
 * -Dexec.mainClass=dev.parley.signaling.CodecBenchmark -Dexec.classpathScope=test}, about 30 s.
 */
public final class CodecBenchmark {

    private static final int OPERATIONS = 200_000;
    private static final int ROUNDS = 5;

    private CodecBenchmark() {
    }

    public static void main(String[] args) {
        StringBuilder sdp = new StringBuilder();
        while (sdp.length() < 3000) {
            sdp.append("a=candidate:1467250027 1 udp 2122260223 192.168.1.23 46243 typ host generation 0\r\n");
        }
        String offer = "{\"type\":\"offer\",\"sdp\":" + Frames.quote(new StringBuilder(), sdp.toString()) + "}";
        String candidate = "{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"candidate:842163049 1 udp 1686052607 "
                + "203.0.113.7 46154 typ srflx raddr 192.168.1.23 rport 46243 generation 0 ufrag EsAw network-id 1 "
                + "network-cost 10\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"EsAw\"}}";
        MessageCodec codec = new MessageCodec();
        Inbound decodedOffer = codec.decode(offer);
        Inbound decodedCandidate = codec.decode(candidate);
        System.out.printf("offer frame %,d chars, candidate frame %,d chars; %,d operations a round%n", offer.length(),
                candidate.length(), OPERATIONS);
        for (int round = 0; round <= ROUNDS; round++) {
            double[] decodeOffer = measure(() -> codec.decode(offer));
            double[] writeOffer = measure(() -> Frames.sdp("offer", "p1abc", "c-123456789", decodedOffer.sdp()));
            double[] decodeCandidate = measure(() -> codec.decode(candidate));
            double[] writeCandidate = measure(() -> Frames.candidate("p1abc", "c-123456789", decodedCandidate.candidate()));
            if (round == 0) {
                continue; // warm-up
            }
            double mixMicros = (2 * (decodeOffer[0] + writeOffer[0]) + 8 * (decodeCandidate[0] + writeCandidate[0])) / 10;
            double mixBytes = (2 * (decodeOffer[1] + writeOffer[1]) + 8 * (decodeCandidate[1] + writeCandidate[1])) / 10;
            System.out.printf("round %d: decode offer %.2f µs %,.0f B; write offer %.2f µs %,.0f B; decode candidate "
                            + "%.2f µs %,.0f B; write candidate %.2f µs %,.0f B; per message of the mix %.2f µs %,.0f B%n",
                    round, decodeOffer[0], decodeOffer[1], writeOffer[0], writeOffer[1], decodeCandidate[0],
                    decodeCandidate[1], writeCandidate[0], writeCandidate[1], mixMicros, mixBytes);
        }
    }

    private interface Operation {
        Object run();
    }

    /** Microseconds and bytes allocated per operation. */
    private static double[] measure(Operation operation) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        Object sink = null;
        long bytes0 = threads.getThreadAllocatedBytes(thread);
        long start = System.nanoTime();
        for (int i = 0; i < OPERATIONS; i++) {
            sink = operation.run();
        }
        long nanos = System.nanoTime() - start;
        long bytes = threads.getThreadAllocatedBytes(thread) - bytes0;
        if (sink == null) {
            throw new AssertionError("nothing was made");
        }
        return new double[] {nanos / 1000.0 / OPERATIONS, (double) bytes / OPERATIONS};
    }
}
