package dev.parley.config;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * Every {@code parley.*} setting (PROTOCOL.md §3), read once, validated, and handed out typed.
 * A bad value throws {@link InvalidSettingException} naming the key, which stops the deployment.
 * The database keys are read by {@code dev.parley.db.ParleyDataSource}, which the container builds itself.
 */
public final class ParleyConfig {

    private static final Logger LOG = Logger.getLogger(ParleyConfig.class.getName());

    public final String adminToken;
    /** Refused admin requests a minute per client address before even a right token is refused for a while. */
    public final int adminFailureRate;
    public final int roomCapacity;
    public final int roomMaxCapacity;
    public final Duration roomIdleTtl;
    public final int roomsCreateRate;
    public final Duration ringTimeout;
    public final Duration resumeGrace;
    public final int wsMaxMessageBytes;
    public final int wsRate;
    public final int wsBurst;
    public final int wsOutboxLimit;
    /** Characters queued for one receiver, at most (about bytes: frames are mostly ASCII). */
    public final int wsOutboxBytes;
    public final Duration wsJoinTimeout;
    public final Duration wsPingInterval;
    public final int wsMaxConnectionsPerAddress;
    /** Who frames the signaling WebSocket: the container's WebSocket stack, or Parley over the Servlet upgrade. */
    public final WsTransport wsTransport;
    public final int resumeFailureRate;
    public final Optional<String> joinSecret;
    public final List<String> allowedOrigins;
    public final List<String> stunUrls;
    public final List<String> turnUrls;
    public final Optional<String> turnSecret;
    public final Duration turnTtl;
    public final Duration historyRetention;
    /** History events the writer may hold unwritten before new rooms and joins are refused (memory, not data). */
    public final int historyMaxBacklog;
    /** Tokens of participants who left, remembered for their quality reports and resume refusals, at most. */
    public final int resumeMaxDeparted;
    /** The largest REST request body read; larger ones are refused 413 before more of them is read. */
    public final int apiMaxBodyBytes;
    /** Quality reports a minute per participant. */
    public final int qualityRate;
    public final String instanceId;
    public final boolean storeIp;
    public final List<String> webhookUrls;
    public final Optional<String> webhookSecret;
    public final Duration webhookMaxAge;
    public final Optional<String> ipSalt;
    public final boolean metricsPublic;
    /**
     * Whether to use Payara's data grid when it runs: only with a database of its own URL, which the instances can
     * share. The embedded H2 database is each instance's own; instances that shared rooms would split their history
     * (and Payara Micro's default data grid joins any instance it finds on the network).
     */
    public final boolean clusterEnabled;

    /** {@code null} is what browsers send from file: pages and sandboxed frames. */
    private static final Pattern ORIGIN = Pattern.compile("\\*|null|[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#\\s]+");
    private static final Pattern STUN_URL = Pattern.compile("(?i)stuns?:[^\\s/?#]+(\\?transport=(udp|tcp))?");
    private static final Pattern TURN_URL = Pattern.compile("(?i)turns?:[^\\s/?#]+(\\?transport=(udp|tcp))?");
    /** A host or pod name: no space (the mailbox's separator), '_' or '%' (wildcards of the grid's queries). */
    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,63}");

    /** The values of {@code parley.ws.transport}. */
    public enum WsTransport {
        /** {@code jakarta.websocket}: Tyrus on Payara, Undertow on WildFly. */
        CONTAINER,
        /**
         * Parley's own framing over {@code HttpServletRequest.upgrade}, the default: on Payara Micro about an eighth of
         * Tyrus's CPU per message, and on WildFly cheaper than Undertow's WebSocket stack too (README, "Signaling
         * benchmark").
         */
        SERVLET
    }

    /**
     * {@code parley.ws.transport}: read on its own too, by the WebSocket deployment (which the container runs before
     * CDI, so before this class is built).
     */
    public static WsTransport wsTransport(Config config) {
        String value = new Settings(config).text("parley.ws.transport", "servlet");
        return switch (value) {
            case "container" -> WsTransport.CONTAINER;
            case "servlet" -> WsTransport.SERVLET;
            default -> throw new InvalidSettingException("parley.ws.transport", value + " is neither container nor servlet");
        };
    }

    public ParleyConfig(Config config) {
        Settings s = new Settings(config);
        Optional<String> token = s.text("parley.admin.token");
        adminToken = token.orElseGet(ParleyConfig::generatedToken);
        if (token.isEmpty()) {
            // Logged once so a fresh install can reach the admin API; set parley.admin.token in production.
            LOG.warning("parley.admin.token is not set; generated admin token for this run: " + adminToken);
        } else if (adminToken.length() < 16) {
            LOG.warning("parley.admin.token is shorter than 16 characters: easy to guess; use a long random one");
        }
        adminFailureRate = s.integer("parley.admin.failure-rate", 10, 1, 1_000_000);
        roomMaxCapacity = s.integer("parley.room.max-capacity", 8, 2, 64);
        roomCapacity = s.integer("parley.room.capacity", 2, 2, roomMaxCapacity);
        roomIdleTtl = s.duration("parley.room.idle-ttl", Duration.ofHours(24), Duration.ofSeconds(1));
        roomsCreateRate = s.integer("parley.rooms.create-rate", 10, 1, 1_000_000);
        qualityRate = s.integer("parley.calls.quality-rate", 10, 1, 1_000_000);
        apiMaxBodyBytes = s.integer("parley.api.max-body-bytes", 16 * 1024, 256, 1024 * 1024);
        ringTimeout = s.duration("parley.call.ring-timeout", Duration.ofSeconds(30), Duration.ofMillis(100));
        resumeGrace = s.duration("parley.resume.grace", Duration.ofSeconds(15), Duration.ZERO);
        resumeMaxDeparted = s.integer("parley.resume.max-departed", 100_000, 1_000, 100_000_000);
        wsMaxMessageBytes = s.integer("parley.ws.max-message-bytes", 65536, 4096, 16 * 1024 * 1024);
        wsRate = s.integer("parley.ws.rate", 50, 1, 1_000_000);
        wsBurst = s.integer("parley.ws.burst", 200, 1, 1_000_000);
        wsOutboxLimit = s.integer("parley.ws.outbox-limit", 1024, 16, 1_000_000);
        wsOutboxBytes = s.integer("parley.ws.outbox-bytes", 4 * 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024);
        if (wsOutboxBytes < 4L * wsMaxMessageBytes) {
            // Else a few large frames from one peer would get a reader dropped that is merely on a slow link.
            throw new InvalidSettingException("parley.ws.outbox-bytes", "must be at least 4 x parley.ws.max-message-bytes ("
                    + 4L * wsMaxMessageBytes + ")");
        }
        wsJoinTimeout = s.duration("parley.ws.join-timeout", Duration.ofSeconds(10), Duration.ofMillis(100));
        wsPingInterval = s.duration("parley.ws.ping-interval", Duration.ofSeconds(5), Duration.ofMillis(100));
        wsMaxConnectionsPerAddress = s.integer("parley.ws.max-connections-per-address", 20, 1, 1_000_000);
        wsTransport = wsTransport(config);
        resumeFailureRate = s.integer("parley.resume.failure-rate", 10, 1, 1_000_000);
        joinSecret = s.text("parley.join.secret");
        if (joinSecret.isPresent() && joinSecret.get().getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
            // HS256 needs a key of at least 256 bits; a shorter one would be refused by every token check.
            throw new InvalidSettingException("parley.join.secret", "must be at least 32 bytes (HS256 needs 256 bits)");
        }
        // Checked here, as a browser would: an origin is compared whole, and a malformed ICE URL makes every
        // RTCPeerConnection throw, so no call could start.
        allowedOrigins = s.list("parley.ws.allowed-origins", ORIGIN, "*, null or an origin: scheme://host[:port], no path");
        stunUrls = s.list("parley.stun.urls", STUN_URL, "a stun: or stuns: URL (stun:host[:port])");
        turnUrls = s.list("parley.turn.urls", TURN_URL, "a turn: or turns: URL (turn:host[:port][?transport=udp|tcp])");
        turnSecret = s.text("parley.turn.secret");
        turnTtl = s.duration("parley.turn.ttl", Duration.ofHours(24), Duration.ofMinutes(1));
        historyRetention = s.duration("parley.history.retention", Duration.ofDays(365), Duration.ofHours(1));
        historyMaxBacklog = s.integer("parley.history.max-backlog", 100_000, 1, 10_000_000);
        instanceId = s.text("parley.instance.id", "local");
        if (!INSTANCE_ID.matcher(instanceId).matches()) {
            // History rows hold it in 64 characters (a longer one would fail every write, silently dropping history);
            // in a cluster it is a field of space-separated mailbox messages, a prefix matched with LIKE wildcards in
            // the grid's token map, and must not read as its markers ('-' for a departed token, 'stopped:').
            throw new InvalidSettingException("parley.instance.id",
                    "must be 1-64 letters, digits, '.' or '-', starting with a letter or digit (a host or pod name)");
        }
        storeIp = s.flag("parley.history.store-ip", false);
        webhookUrls = s.list("parley.webhook.urls");
        for (String url : webhookUrls) {
            if (!url.startsWith("http://") && !url.startsWith("https://") || url.length() > 1024) {
                throw new InvalidSettingException("parley.webhook.urls", "'" + url + "' is not an http(s) URL");
            }
        }
        webhookSecret = s.text("parley.webhook.secret");
        webhookMaxAge = s.duration("parley.webhook.max-age", Duration.ofDays(3), Duration.ofSeconds(1));
        ipSalt = s.text("parley.history.ip-salt");
        metricsPublic = s.flag("parley.metrics.public", false);
        clusterEnabled = s.flag("parley.cluster.enabled", true) && s.text("parley.db.url").isPresent();
        if (!turnUrls.isEmpty() && turnSecret.isEmpty()) {
            throw new InvalidSettingException("parley.turn.secret", "required when parley.turn.urls is set");
        }
    }

    private static String generatedToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
