package dev.parley.history;

/** Takes history events from the signal path without waiting: implementations only queue. */
public interface HistorySink {

    void record(HistoryEvent event);

    /**
     * True while the sink holds as many unwritten events as it may (the database is away or refuses them): new
     * rooms and participants are then turned away, so that those already in keep their history and the server
     * its memory. Must be cheap: the signal path asks on every fresh join.
     */
    default boolean behind() {
        return false;
    }
}
