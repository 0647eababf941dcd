package dev.parley.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API of PROTOCOL.md §2, under {@code /api}. */
@ApplicationPath("api")
public class ParleyApi extends Application {
}
