package dev.parley.security;

/** Reads the token out of an {@code Authorization: Bearer <token>} header. */
public final class Bearer {

    private Bearer() {
    }

    public static String token(String header) {
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
