package dev.parley.api;

import jakarta.json.JsonObject;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A request body read by Parley itself, not by the JAX-RS runtime: no more than {@code parley.api.max-body-bytes}
 * of it is ever held (the runtime would read a body of any size into memory before the resource's first check),
 * and it is UTF-8, as JSON is (RFC 8259), whatever charset is declared; a charset the JVM does not know made the
 * runtime fail with a 500.
 */
public final class JsonBody {

    private JsonBody() {
    }

    /** The body's JSON object (empty for an empty body); 413 past {@code maxBytes}, 415 for another charset. */
    public static JsonObject read(InputStream in, String contentType, int maxBytes) {
        checkCharset(contentType);
        byte[] bytes;
        try {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw ApiException.badRequest("the body could not be read");
        }
        if (bytes.length > maxBytes) {
            throw new ApiException(413, "too-large", "the body is over " + maxBytes + " bytes");
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

    private static void checkCharset(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String charset;
        try {
            charset = MediaType.valueOf(contentType).getParameters().get(MediaType.CHARSET_PARAMETER);
        } catch (IllegalArgumentException e) {
            throw new ApiException(415, "unsupported-media-type", "the Content-Type header cannot be read");
        }
        if (charset != null && !charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
            throw new ApiException(415, "unsupported-media-type", "the body must be UTF-8 (JSON is), not " + charset);
        }
    }
}
