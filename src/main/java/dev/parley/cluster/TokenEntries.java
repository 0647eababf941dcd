package dev.parley.cluster;

/**
 * How a grid records a resume token: {@code "<instance> <participant>"} while its participant is present on
 * that instance, {@code "- <participant>"} once it has left (it may still post quality reports a while).
 */
public final class TokenEntries {

    private static final String DEPARTED = "-";

    private TokenEntries() {
    }

    public static String present(String instance, String participantId) {
        return instance + " " + participantId;
    }

    public static String departed(String participantId) {
        return DEPARTED + " " + participantId;
    }

    /** The instance holding a present participant; null for a departed one or no entry. */
    public static String holder(String entry) {
        if (entry == null || entry.startsWith(DEPARTED + " ")) {
            return null;
        }
        return entry.substring(0, entry.indexOf(' '));
    }

    public static String participant(String entry) {
        return entry == null ? null : entry.substring(entry.indexOf(' ') + 1);
    }

    /** Whether the entry is a present participant on {@code instance} (to forget when that instance is lost). */
    public static boolean heldBy(String entry, String instance) {
        return entry.startsWith(instance + " ");
    }
}
