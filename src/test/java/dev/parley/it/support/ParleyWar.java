package dev.parley.it.support;

import java.io.File;
import java.util.UUID;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The real WAR the build produced, exactly as users deploy it; and names that keep tests apart. */
public final class ParleyWar {

    private ParleyWar() {
    }

    public static WebArchive build() {
        File war = new File(System.getProperty("parley.war", "target/parley.war"));
        if (!war.isFile()) {
            throw new IllegalStateException("Build the WAR first (mvn verify does): " + war.getAbsolutePath());
        }
        return ShrinkWrap.create(ZipImporter.class, "parley.war").importFrom(war).as(WebArchive.class);
    }

    /** A room name no other test (nor an earlier run against the same PostgreSQL) uses. */
    public static String room(String hint) {
        return hint + "-" + UUID.randomUUID().toString().substring(0, 12);
    }
}
