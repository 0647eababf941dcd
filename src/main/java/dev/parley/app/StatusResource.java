package dev.parley.app;

import static dev.parley.api.JsonP.JSON;

import dev.parley.rooms.LiveRoom;
import dev.parley.rooms.Presence;
import dev.parley.security.AdminOnly;
import dev.parley.signaling.Connections;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * A few live figures for operators (admin only): open signaling sockets, rooms, participants and their resume
 * tokens (this instance's), and which instances form the cluster. After every client has gone the figures must
 * all be zero, which is how tests prove nothing lingers.
 */
@Path("status")
@RequestScoped
public class StatusResource {

    @Inject
    Connections connections;
    @Inject
    Presence presence;

    @GET
    @AdminOnly
    @Produces(MediaType.APPLICATION_JSON)
    public String status() {
        int participants = 0;
        var rooms = presence.rooms();
        for (LiveRoom room : rooms) {
            synchronized (room) {
                participants += room.members().size();
            }
        }
        return JSON.createObjectBuilder().add("openConnections", connections.openCount()).add("rooms", rooms.size())
                .add("participants", participants).add("resumeTokens", presence.resumeTokenCount())
                .add("instance", presence.instanceId())
                .add("instances", JSON.createArrayBuilder(presence.grid().instances())).build().toString();
    }
}
