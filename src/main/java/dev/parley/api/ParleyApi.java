package dev.parley.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The REST API of PROTOCOL.md §2, under {@code /api}; its OpenAPI description is generated from the annotations. */
@ApplicationPath("api")
@OpenAPIDefinition(info = @Info(title = "Parley REST API", version = "1",
        description = "Rooms, call history, quality reports, call reports, ICE servers, webhook dead letters and "
                + "metrics of the Parley WebRTC signaling server (PROTOCOL.md §2). Admin operations need "
                + "`Authorization: Bearer <parley.admin.token>`; errors are `{\"code\",\"message\"}`."))
@SecurityScheme(securitySchemeName = ParleyApi.ADMIN, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "parley.admin.token (admin operations) or, for a quality report, the participant's resumeToken")
public class ParleyApi extends Application {

    /** The name of the bearer security scheme that admin operations declare. */
    public static final String ADMIN = "adminToken";
}
