package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HazelcastGrid} on real embedded Hazelcast members (the version Payara Micro runs), on loopback with tcp-ip
 * discovery: who cleans up after a member that leaves, and which members count as Parley instances.
 */
class HazelcastGridTest {

    private final String cluster = "parley-test-" + UUID.randomUUID();
    private final List<Integer> ports = new ArrayList<>();
    private final List<HazelcastInstance> members = new ArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();

    HazelcastGridTest() throws IOException {
        for (int i = 0; i < 3; i++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                ports.add(socket.getLocalPort());
            }
        }
    }

    /** The {@code n}th member (0-based) of this test's cluster, on loopback only. */
    private HazelcastInstance member(int n) {
        Config config = new Config().setClusterName(cluster).setInstanceName(cluster + "-" + n);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "none");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "4");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.getNetworkConfig().setPort(ports.get(n)).setPortAutoIncrement(false);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true);
        ports.forEach(port -> join.getTcpIpConfig().addMember("127.0.0.1:" + port));
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        members.add(member);
        return member;
    }

    private HazelcastGrid grid(HazelcastInstance member, String id) {
        return new HazelcastGrid(member, id, executor, 60);
    }

    @AfterEach
    void stop() {
        members.forEach(m -> m.getLifecycleService().terminate());
        executor.shutdownNow();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void anInstanceThatStopsGracefullyIsCleanedUpAfterAsACrashedOneIs() throws Exception {
        HazelcastGrid a = grid(member(0), "a");
        HazelcastInstance memberB = member(1);
        HazelcastGrid b = grid(memberB, "b");
        List<String> lost = new CopyOnWriteArrayList<>();
        a.onInstanceLost(lost::add);
        // A join reached b while it stopped, after it had closed its own rooms: the claim outlives the stop.
        assertEquals("b", b.claim("late-room"));
        b.tokenIssued("token-1", "p-1");

        b.stop();
        memberB.shutdown();

        await(() -> lost.contains("b"), "a hears that b is gone");
        assertNull(a.ownerOf("late-room"), "the name is free to open on a live instance");
        assertNull(a.holderOfToken("token-1"));
        assertEquals(List.of("a"), a.instances());
    }

    @Test
    void membersThatDoNotRunParleyAreNeitherLeaderNorInstances() throws Exception {
        member(0); // the oldest member: a Payara Server DAS, say, which does not run Parley
        HazelcastGrid first = grid(member(1), "first");
        HazelcastGrid second = grid(member(2), "second");

        assertTrue(first.leader(), "the oldest member that runs Parley leads");
        assertFalse(second.leader());
        assertEquals(List.of("first", "second"), first.instances());
        assertEquals(List.of("first", "second"), second.instances());
    }

    @Test
    void anInstanceStoppedWhileItsMemberLivesOnIsNeitherListedNorLeaderAndHearsNothingMore() throws Exception {
        HazelcastGrid a = grid(member(0), "a"); // the oldest
        HazelcastGrid b = grid(member(1), "b");
        HazelcastInstance other = member(2);
        List<String> heard = new CopyOnWriteArrayList<>();
        a.onInstanceLost(heard::add); // as ClusterRelay does
        a.onInstanceLost(heard::add); // and Lifecycle, on the same grid
        assertEquals("a", a.claim("late-room")); // a join that reached a while it stopped

        a.stop(); // the WAR is undeployed; Payara's data grid lives on

        assertEquals(List.of("b"), b.instances(), "not asked for its rooms: it would never answer");
        assertTrue(b.leader(), "the oldest instance that runs leads");
        assertNull(b.ownerOf("late-room"), "what it still claimed is free");
        other.getLifecycleService().terminate();
        await(() -> members.get(0).getCluster().getMembers().size() == 2, "the member is gone");
        Thread.sleep(500);
        assertEquals(List.of(), heard, "no listener of the undeployed application is left behind");
    }

    @Test
    void anInstanceBackUnderItsIdBeforeItsLossWasNoticedKeepsWhatItClaimed() throws Exception {
        HazelcastGrid a = grid(member(0), "a");
        HazelcastInstance oldB = member(1);
        grid(oldB, "b");
        List<String> lost = new CopyOnWriteArrayList<>();
        a.onInstanceLost(lost::add);
        HazelcastGrid newB = grid(member(2), "b"); // restarted under the same id, the old life not yet noticed gone
        assertEquals("b", newB.claim("room-of-the-new-life"));

        oldB.getLifecycleService().terminate();

        await(() -> lost.contains("b"), "a hears that the old b is gone");
        assertEquals("b", a.ownerOf("room-of-the-new-life"), "the new life's claim stays");
        assertEquals(List.of("a", "b"), a.instances());
    }
}
