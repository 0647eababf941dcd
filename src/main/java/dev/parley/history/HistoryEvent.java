package dev.parley.history;

import java.time.Instant;

/** A state change on the signal path, handed to the {@link HistoryWriter} to be made durable in order. */
public sealed interface HistoryEvent {

    /** When it happened on the signal path (every event record has this component). */
    Instant at();

    record RoomOpened(String roomId, String name, int capacity, boolean hasPassword, Instant at)
            implements HistoryEvent {
    }

    record RoomClosed(String roomId, Instant at) implements HistoryEvent {
    }

    record ParticipantJoined(String id, String roomId, String roomName, String name, String userAgent,
                             String clientAddress, Instant at)
            implements HistoryEvent {
    }

    record ParticipantLeft(String id, String reason, Instant at) implements HistoryEvent {
    }

    record CallStarted(String callId, String roomId, String roomName, Side caller, Side callee, Instant at)
            implements HistoryEvent {
    }

    /** One side of a call as history keeps it. */
    record Side(String id, String name, String userAgent, String clientAddress) {
    }

    record CallAnswered(String callId, Instant at) implements HistoryEvent {
    }

    record CallEnded(String callId, String reason, Instant at) implements HistoryEvent {
    }
}
