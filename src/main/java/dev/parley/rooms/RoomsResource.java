package dev.parley.rooms;

import static dev.parley.api.JsonP.JSON;

import dev.parley.api.ApiException;
import dev.parley.api.JsonBody;
import dev.parley.api.Params;
import dev.parley.config.ParleyConfig;
import dev.parley.security.AddressKey;
import dev.parley.security.AdminOnly;
import dev.parley.signaling.SignalException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Rooms over REST: anyone may create one (rate-limited per address); only admins list, close or kick. */
@Tag(name = "rooms", description = "Live rooms: create (anyone), list, close and kick (admin)")
@Path("rooms")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class RoomsResource {

    @Inject
    Presence presence;
    @Inject
    ParleyConfig config;
    @Inject
    RoomCreationLimit creationLimit;
    @Inject
    RoomCommands commands;
    @Context
    HttpServletRequest http;
    @Context
    UriInfo uri;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Create a room", description = "Anyone may create a room; rate-limited per client "
            + "address (parley.rooms.create-rate per minute). No body: a free, unguessable name and the default capacity.")
    @RequestBody(description = "name (1-64 of a-z 0-9 -), capacity (2..parley.room.max-capacity), password (1-128)",
            content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "room",
                    value = "{\"name\":\"standup\",\"capacity\":2,\"password\":\"s3cret\"}")))
    @APIResponse(responseCode = "201", description = "created", content = @Content(mediaType = "application/json",
            examples = @ExampleObject(name = "created",
                    value = "{\"name\":\"standup\",\"capacity\":2,\"url\":\"http://localhost:8080/?room=standup\"}")))
    @APIResponse(responseCode = "400", description = "bad body, invalid-room or capacity out of range")
    @APIResponse(responseCode = "409", description = "room-exists")
    @APIResponse(responseCode = "413", description = "too-large: a body over parley.api.max-body-bytes")
    @APIResponse(responseCode = "429", description = "rate-limited, with Retry-After")
    @APIResponse(responseCode = "503", description = "unavailable: call history is too far behind to take new rooms "
            + "(parley.history.max-backlog); with Retry-After")
    public Response create(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream rawBody) {
        try {
            presence.admitNewcomers(); // first: a client that waits out the 503 must not have spent its allowance
            return created(contentType, rawBody);
        } catch (SignalException e) { // history is behind, or the server is stopping (Presence.admitNewcomers)
            throw ApiException.unavailable(e.getMessage(), 60);
        }
    }

    private Response created(String contentType, InputStream rawBody) {
        long wait = creationLimit.limit().acquire(AddressKey.of(http.getRemoteAddr()));
        if (wait > 0) {
            throw ApiException.rateLimited("too many rooms created from this address; retry later", wait);
        }
        JsonObject body = JsonBody.read(rawBody, contentType, config.apiMaxBodyBytes);
        String name = optionalString(body, "name");
        if (name != null) {
            name = RoomNames.normalize(name).orElseThrow(() -> new ApiException(400, "invalid-room",
                    "room names are 1-64 characters of a-z, 0-9 and -"));
        }
        int capacity = capacity(body);
        String password = optionalString(body, "password");
        if (password != null && (password.isEmpty() || password.length() > 128)) {
            throw ApiException.badRequest("'password' must be 1 to 128 characters");
        }
        LiveRoom room = presence.create(name, capacity, password)
                .orElseThrow(() -> new ApiException(409, "room-exists", "a room with that name exists"));
        URI page = uri.getBaseUri().resolve("../?room=" + room.name);
        JsonObject created = JSON.createObjectBuilder().add("name", room.name).add("capacity", room.capacity)
                .add("url", page.toString()).build();
        return Response.status(201).entity(created.toString()).build();
    }

    @GET
    @AdminOnly
    @Operation(summary = "List live rooms", description = "Every live room, empty ones included, with its participants.")
    @APIResponse(responseCode = "200", description = "rooms, oldest first", content = @Content(
            mediaType = "application/json", examples = @ExampleObject(name = "rooms", value = "[{\"name\":\"standup\",\"capacity\":2,\"hasPassword\":false,\"createdAt\":\"2026-11-23T20:15:00Z\",\"participants\":[{\"id\":\"p-3f9a\",\"name\":\"Ada\",\"joinedAt\":\"2026-11-23T20:15:02Z\",\"connected\":true}],\"callInProgress\":false}]")))
    @APIResponse(responseCode = "401", description = "admin token missing or wrong")
    @SecurityRequirement(name = "adminToken")
    public String list() {
        JsonArrayBuilder rooms = JSON.createArrayBuilder();
        commands.rooms().forEach(rooms::add);
        return rooms.build().toString();
    }

    @GET
    @Path("{name}")
    @AdminOnly
    @Operation(summary = "One live room", description = "The room as in the list, or 404.")
    @Parameter(name = "name", in = ParameterIn.PATH, description = "room name", example = "standup")
    @APIResponse(responseCode = "200", description = "the room")
    @APIResponse(responseCode = "401", description = "admin token missing or wrong")
    @APIResponse(responseCode = "404", description = "no such room")
    @SecurityRequirement(name = "adminToken")
    public String get(@PathParam("name") String name) {
        JsonObject room = commands.room(canonical(name));
        if (room == null) {
            throw ApiException.notFound("no such room");
        }
        return room.toString();
    }

    @DELETE
    @Path("{name}")
    @AdminOnly
    @Operation(summary = "Close a room", description = "Participants get peer-left room-closed and close 4001; "
            + "calls end room-closed.")
    @Parameter(name = "name", in = ParameterIn.PATH, description = "room name", example = "standup")
    @APIResponse(responseCode = "204", description = "closed")
    @APIResponse(responseCode = "401", description = "admin token missing or wrong")
    @APIResponse(responseCode = "404", description = "no such room")
    @SecurityRequirement(name = "adminToken")
    public Response close(@PathParam("name") String name) {
        if (!commands.close(canonical(name))) {
            throw ApiException.notFound("no such room");
        }
        return Response.noContent().build();
    }

    @DELETE
    @Path("{name}/participants/{id}")
    @AdminOnly
    @Operation(summary = "Kick a participant", description = "It is closed 4001 (its resume token revoked), the "
            + "others get peer-left kicked, its calls end kicked.")
    @Parameter(name = "name", in = ParameterIn.PATH, description = "room name", example = "standup")
    @Parameter(name = "id", in = ParameterIn.PATH, description = "participant id, as in the room list")
    @APIResponse(responseCode = "204", description = "kicked")
    @APIResponse(responseCode = "401", description = "admin token missing or wrong")
    @APIResponse(responseCode = "404", description = "no such participant in that room")
    @SecurityRequirement(name = "adminToken")
    public Response kick(@PathParam("name") String name, @PathParam("id") String id) {
        if (!commands.kick(canonical(name), id)) {
            throw ApiException.notFound("no such participant in that room");
        }
        return Response.noContent().build();
    }

    private static String canonical(String name) {
        return RoomNames.normalize(name).orElseThrow(() -> ApiException.notFound("no such room"));
    }

    private int capacity(JsonObject body) {
        JsonValue value = body.get("capacity");
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return config.roomCapacity;
        }
        // Compared as written: longValue() wraps a number past 2^63 (into 2), and bigIntegerValue() of 1e999999999 would
        // build a billion-digit number.
        if (value instanceof JsonNumber n && n.isIntegral()) {
            BigDecimal capacity = n.bigDecimalValue();
            if (capacity.compareTo(BigDecimal.valueOf(2)) >= 0
                    && capacity.compareTo(BigDecimal.valueOf(config.roomMaxCapacity)) <= 0) {
                return capacity.intValueExact();
            }
        }
        throw ApiException.badRequest("'capacity' must be a whole number from 2 to " + config.roomMaxCapacity);
    }

    private static String optionalString(JsonObject body, String field) {
        JsonValue value = body.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value instanceof JsonString s) {
            return s.getString();
        }
        throw ApiException.badRequest("'" + field + "' must be a string");
    }
}
