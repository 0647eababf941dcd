package dev.parley.ice;

import static dev.parley.api.JsonP.JSON;

import dev.parley.api.ApiException;
import dev.parley.rooms.Presence;
import dev.parley.rooms.RandomIds;
import dev.parley.security.Bearer;
import dev.parley.security.JoinTokens;
import dev.parley.signaling.SignalException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/ice-servers}: STUN and TURN servers with fresh time-limited TURN credentials. Anyone may ask, as
 * PROTOCOL.md says, unless join tokens are required: then only the server's own users, with a join token or a
 * participant's resume token, or anyone could use the TURN server as a free relay.
 */
@Tag(name = "ice", description = "STUN and TURN servers for clients")
@Path("ice-servers")
@RequestScoped
public class IceServersResource {

    @Inject
    IceServers ice;
    @Inject
    JoinTokens joinTokens;
    @Inject
    Presence presence;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "ICE servers", description = "STUN and TURN servers; TURN entries carry time-limited "
            + "credentials (coturn shared-secret scheme). Anyone may ask, unless parley.join.secret is set: then "
            + "'Authorization: Bearer' a join token or a participant's resume token.")
    @APIResponse(responseCode = "200", description = "servers and credential lifetime", content = @Content(
            mediaType = "application/json", examples = @ExampleObject(name = "servers", value = "{\"iceServers\":["
                    + "{\"urls\":[\"stun:stun.example.com:3478\"]},{\"urls\":[\"turn:turn.example.com:3478\"],"
                    + "\"username\":\"1764000000:p-3f9a\",\"credential\":\"q1Yb...=\"}],\"ttl\":86400}")))
    @APIResponse(responseCode = "401", description = "join tokens are required and none was given, or a wrong one")
    public Response get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        IceServers.Offer offer = ice.offerFor(askedBy(Bearer.token(authorization)));
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.ok(JSON.createObjectBuilder().add("iceServers", offer.iceServers()).add("ttl", offer.ttl())
                .build().toString()).cacheControl(noStore).build();
    }

    /** Who the TURN credentials are for: the participant whose resume token it is, else a fresh id. */
    private String askedBy(String token) {
        String participant = token == null ? null : presence.presentParticipantOfToken(token).orElse(null);
        if (participant != null) {
            return participant;
        }
        if (joinTokens.required()) {
            try {
                joinTokens.verify(token);
            } catch (SignalException e) {
                throw new ApiException(401, "unauthorized",
                        "this server requires a join token or a participant's resume token: " + e.getMessage());
            }
        }
        return RandomIds.participantId();
    }
}
