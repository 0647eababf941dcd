package dev.parley.api;

import jakarta.json.JsonObject;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * A request body read by Parley itself, not by the JAX-RS runtime: no more than {@code parley.api.max-body-bytes}
 * of it is ever held (the runtime would read a body of any size into memory before the resource's first check),
 * and it is UTF-8, as JSON is (RFC 8259): another declared charset is refused 415 (a charset the JVM does not know
 * made the runtime fail with a 500), unless it reads ASCII as UTF-8 does and the body is ASCII.
 */
public final class JsonBody {

    private JsonBody() {
    }

    /** The body's JSON object (empty for an empty body); 413 past {@code maxBytes}, 415 for another charset. */
    public static JsonObject read(InputStream in, String contentType, int maxBytes) {
        String charset = declaredCharset(contentType);
        byte[] bytes;
        try {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw ApiException.badRequest("the body could not be read");
        }
        if (bytes.length > maxBytes) {
            throw new ApiException(413, "too-large", "the body is over " + maxBytes + " bytes");
        }
        if (charset != null && !UTF_8.contains(charset) && !(ASCII_COMPATIBLE.contains(charset) && ascii(bytes))) {
            // ASCII text reads the same in UTF-8 (clients that label JSON ISO-8859-1 by default send just that)
            throw new ApiException(415, "unsupported-media-type", "the body must be UTF-8 (JSON is), not " + charset);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("the body is not UTF-8 text");
        }
        return Params.body(text);
    }

    private static final Set<String> UTF_8 = Set.of("utf-8", "utf8");
    private static final Set<String> ASCII_COMPATIBLE = Set.of("us-ascii", "ascii", "iso-8859-1", "latin1",
            "windows-1252", "cp1252");

    /** The charset the {@code Content-Type} names, in lower case; null if none. */
    private static String declaredCharset(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        String charset;
        try {
            charset = MediaType.valueOf(contentType).getParameters().get(MediaType.CHARSET_PARAMETER);
        } catch (IllegalArgumentException e) {
            throw new ApiException(415, "unsupported-media-type", "the Content-Type header cannot be read");
        }
        return charset == null ? null : charset.trim().toLowerCase(Locale.ROOT);
    }

    private static boolean ascii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
