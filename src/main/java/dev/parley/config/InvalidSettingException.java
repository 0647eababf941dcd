package dev.parley.config;

/** A {@code parley.*} setting whose value cannot be used; the message names the key so operators can fix it. */
public class InvalidSettingException extends RuntimeException {

    public InvalidSettingException(String key, String problem) {
        super("Invalid setting " + key + ": " + problem);
    }
}
