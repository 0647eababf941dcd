package dev.parley.testing;

import dev.parley.history.HistoryEvent;
import dev.parley.history.HistorySink;
import java.util.ArrayList;
import java.util.List;

/** Keeps every history event in the order it was recorded. */
public final class RecordingHistory implements HistorySink {

    public final List<HistoryEvent> events = new ArrayList<>();
    /** What {@link #behind()} answers: set it to play a writer at its backlog limit. */
    public boolean behind;

    /** Thrown by the next {@link #record} (once), to play a failure in the middle of handling a frame. */
    public RuntimeException failNext;

    @Override
    public void record(HistoryEvent event) {
        RuntimeException failure = failNext;
        if (failure != null) {
            failNext = null;
            throw failure;
        }
        events.add(event);
    }

    @Override
    public boolean behind() {
        return behind;
    }

    public <T extends HistoryEvent> List<T> ofType(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
