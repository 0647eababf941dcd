package dev.parley.rooms;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Server-chosen identifiers. Participant ids and resume tokens are independent draws from a CSPRNG
 * (128 and 256 bits), so neither can be guessed nor derived from the other.
 */
public final class RandomIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ROOM_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();

    private RandomIds() {
    }

    public static String participantId() {
        return base64(16);
    }

    public static String resumeToken() {
        return base64(32);
    }

    public static String callId() {
        return base64(16);
    }

    public static String roomId() {
        return base64(16);
    }

    /** 25 characters from a 32-letter alphabet (125 bits) in groups of five: {@code k7q2m-x9adf-…}. */
    public static String roomName() {
        StringBuilder name = new StringBuilder(29);
        for (int i = 0; i < 25; i++) {
            if (i > 0 && i % 5 == 0) {
                name.append('-');
            }
            name.append(ROOM_ALPHABET[RANDOM.nextInt(ROOM_ALPHABET.length)]);
        }
        return name.toString();
    }

    private static String base64(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
