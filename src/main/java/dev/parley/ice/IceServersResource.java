package dev.parley.ice;

import dev.parley.rooms.RandomIds;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code GET /api/ice-servers}: STUN and TURN servers with fresh time-limited TURN credentials. */
@Path("ice-servers")
@RequestScoped
public class IceServersResource {

    @Inject
    IceServers ice;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get() {
        IceServers.Offer offer = ice.offerFor(RandomIds.participantId());
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.ok(Json.createObjectBuilder().add("iceServers", offer.iceServers()).add("ttl", offer.ttl())
                .build().toString()).cacheControl(noStore).build();
    }
}
