package dev.parley.signaling;

/** Sizes of text in UTF-8, the unit of the protocol's limits, counted without encoding it. */
final class Utf8 {

    private Utf8() {
    }

    /** Whether {@code text} takes more than {@code max} bytes; counted only when its length cannot tell. */
    static boolean longerThan(String text, int max) {
        // A char is at most 3 bytes (a pair of surrogates, 2 chars, is 4).
        return text.length() > max || (text.length() > max / 3 && length(text) > max);
    }

    /** Whether {@code text} is Unicode text: every surrogate is half of a pair, so it can be encoded in UTF-8. */
    static boolean isUnicode(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    /** Bytes of {@code text} in UTF-8; a lone surrogate counts as 2 (it is refused later, whatever it counts). */
    private static int length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }
}
