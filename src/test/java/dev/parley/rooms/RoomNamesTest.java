package dev.parley.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoomNamesTest {

    @Test
    void asciiLettersAreLowercased() {
        assertEquals(Optional.of("team-42"), RoomNames.normalize("Team-42"));
        assertEquals(Optional.of("demo"), RoomNames.normalize("DEMO"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "0", "-", "daily-standup", "room-2026-11-23", "abcdefghijklmnopqrstuvwxyz0123456789-"})
    void validNamesAreKeptAsTheyAre(String name) {
        assertEquals(Optional.of(name), RoomNames.normalize(name));
    }

    @Test
    void sixtyFourCharactersIsTheLongestName() {
        assertEquals(Optional.of("x".repeat(64)), RoomNames.normalize("x".repeat(64)));
        assertEquals(Optional.empty(), RoomNames.normalize("x".repeat(65)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "bad name",
        " demo",
        "demo ",
        "under_score",
        "dot.ted",
        "slash/room",
        "caf\u00e9",          // é
        "\u0455tudio",        // Cyrillic dze, looks like s
        "\u212A",             // Kelvin sign: a locale-free toLowerCase would make it "k"
        "\u0130stanbul",      // Turkish dotted capital I: toLowerCase would make it "i̇"
        "\uFF44emo",          // fullwidth d
        "demo\u200B",         // zero-width space
        "demo\n"
    })
    void anythingElseIsInvalid(String name) {
        assertEquals(Optional.empty(), RoomNames.normalize(name));
    }

    @Test
    void nullIsInvalid() {
        assertEquals(Optional.empty(), RoomNames.normalize(null));
    }

    @Test
    void randomRoomNamesAreValidDistinctNames() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String name = RandomIds.roomName();
            assertEquals(Optional.of(name), RoomNames.normalize(name), name);
            assertTrue(seen.add(name), "names repeat: " + name);
        }
    }
}
