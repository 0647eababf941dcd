package dev.parley.rooms;

import java.util.Optional;

/**
 * Room names are 1-64 characters of {@code a-z 0-9 -} after lowercasing ASCII letters only:
 * a locale-aware lowercase would turn look-alikes (Turkish dotted I, Kelvin sign) into valid names.
 */
public final class RoomNames {

    public static final int MAX_LENGTH = 64;

    private RoomNames() {
    }

    /** The canonical name, or empty when the input is not a valid room name. */
    public static Optional<String> normalize(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        char[] out = new char[raw.length()];
        for (int i = 0; i < out.length; i++) {
            char c = raw.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            if (!allowed) {
                return Optional.empty();
            }
            out[i] = c;
        }
        return Optional.of(new String(out));
    }
}
