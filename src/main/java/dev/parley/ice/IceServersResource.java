package dev.parley.ice;

import static dev.parley.api.JsonP.JSON;

import dev.parley.rooms.RandomIds;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /api/ice-servers}: STUN and TURN servers with fresh time-limited TURN credentials. */
@Tag(name = "ice", description = "STUN and TURN servers for clients")
@Path("ice-servers")
@RequestScoped
public class IceServersResource {

    @Inject
    IceServers ice;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "ICE servers", description = "STUN and TURN servers; TURN entries carry time-limited "
            + "credentials (coturn shared-secret scheme). Anyone may ask.")
    @APIResponse(responseCode = "200", description = "servers and credential lifetime", content = @Content(
            mediaType = "application/json", examples = @ExampleObject(name = "servers", value = "{\"iceServers\":["
                    + "{\"urls\":[\"stun:stun.example.com:3478\"]},{\"urls\":[\"turn:turn.example.com:3478\"],"
                    + "\"username\":\"1764000000:p-3f9a\",\"credential\":\"q1Yb...=\"}],\"ttl\":86400}")))
    public Response get() {
        IceServers.Offer offer = ice.offerFor(RandomIds.participantId());
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.ok(JSON.createObjectBuilder().add("iceServers", offer.iceServers()).add("ttl", offer.ttl())
                .build().toString()).cacheControl(noStore).build();
    }
}
