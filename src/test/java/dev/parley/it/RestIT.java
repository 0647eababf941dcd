package dev.parley.it;

import dev.parley.it.support.ParleyWar;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link RestContract} on Payara Micro (Arquillian). */
@Tag("database")
@ExtendWith(ArquillianExtension.class)
class RestIT extends RestContract {

    @Deployment(testable = false)
    static WebArchive war() {
        return ParleyWar.build();
    }

    @ArquillianResource
    URL base;

    @Override
    protected URL base() {
        return base;
    }
}
