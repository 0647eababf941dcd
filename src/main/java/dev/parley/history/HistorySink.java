package dev.parley.history;

/** Takes history events from the signal path without waiting: implementations only queue. */
public interface HistorySink {

    void record(HistoryEvent event);
}
