package dev.parley.cluster;

import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/** Picks the grid: Payara's data grid when it runs (and clustering is not switched off), else this instance alone. */
public final class Grids {

    private static final Logger LOG = Logger.getLogger(Grids.class.getName());
    /** Where Payara publishes its Hazelcast instance. */
    private static final String PAYARA_HAZELCAST = "payara/Hazelcast";

    private Grids() {
    }

    public static Grid create(boolean enabled, String instanceId, Executor executor, long departedTtlSeconds) {
        if (!enabled) {
            return new LocalGrid(instanceId);
        }
        Object hazelcast;
        try {
            hazelcast = new InitialContext().lookup(PAYARA_HAZELCAST);
        } catch (NamingException | RuntimeException e) {
            return new LocalGrid(instanceId); // not Payara, or its data grid is off
        }
        if (hazelcast == null) {
            return new LocalGrid(instanceId);
        }
        try {
            // By name, so that servers without Hazelcast never load a class that refers to it.
            Grid grid = (Grid) Class.forName("dev.parley.cluster.HazelcastGrid", true, Grids.class.getClassLoader())
                    .getDeclaredConstructor(Object.class, String.class, Executor.class, long.class)
                    .newInstance(hazelcast, instanceId, executor, departedTtlSeconds);
            LOG.info(() -> "Clustered on Payara's data grid as instance " + instanceId + "; instances: " + grid.instances());
            return grid;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            LOG.log(Level.INFO, "Payara's data grid is not usable; running as a single instance", e);
            return new LocalGrid(instanceId);
        }
    }
}
