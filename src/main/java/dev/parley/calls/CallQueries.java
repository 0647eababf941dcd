package dev.parley.calls;

import dev.parley.db.Dialect;
import dev.parley.reports.CallRollup;
import dev.parley.reports.CallRollupChanges;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Reads call history for the REST API, newest first, and stores the quality reports clients post. */
@ApplicationScoped
public class CallQueries {

    public record Page(List<Call> items, long total) {
    }

    private static final int EXPORT_BATCH = 500;

    @PersistenceContext(unitName = "parley")
    EntityManager em;
    @Inject
    Dialect dialect;

    public Call find(String id) {
        return em.find(Call.class, id);
    }

    public Page page(CallFilter filter, CallOrder order, int page, int size) {
        Map<String, Object> params = new HashMap<>();
        String where = where(filter, params);
        TypedQuery<Call> query = em.createQuery("select c from Call c" + where + " order by " + order.jpql, Call.class);
        var count = em.createQuery("select count(c) from Call c" + where, Long.class);
        params.forEach((k, v) -> {
            query.setParameter(k, v);
            count.setParameter(k, v);
        });
        long first = (long) page * size; // past what JPA can skip to, the page is empty as any page past the end is
        List<Call> items = first > Integer.MAX_VALUE ? List.of()
                : query.setFirstResult((int) first).setMaxResults(size).getResultList();
        return new Page(items, count.getSingleResult());
    }

    /** Stores one side's quality report; a later report from the same side replaces the earlier one. */
    @Transactional
    public boolean recordQuality(String callId, String participantId, CallQuality quality) {
        // Locked until commit, so that the report's sums change by exactly this report (see CallRollupChanges).
        Call call = em.find(Call.class, callId, LockModeType.PESSIMISTIC_WRITE);
        if (call == null) {
            return false;
        }
        CallRollupChanges rollup = new CallRollupChanges();
        rollup.changing(call);
        if (participantId.equals(call.callerId)) {
            call.callerQuality = quality;
        } else if (participantId.equals(call.calleeId)) {
            call.calleeQuality = quality;
        } else {
            return false;
        }
        em.flush();
        rollup.write(em, new CallRollup(dialect.isH2()));
        return true;
    }

    private static String where(CallFilter f, Map<String, Object> params) {
        List<String> conditions = new ArrayList<>();
        if (f.room() != null) {
            conditions.add("c.roomName = :room");
            params.put("room", f.room());
        }
        if (f.status() != null) {
            conditions.add("c.status = :status");
            params.put("status", f.status());
        }
        if (f.reason() != null) {
            conditions.add("c.endReason = :reason");
            params.put("reason", f.reason());
        }
        if (f.from() != null) {
            conditions.add("c.startedAt >= :from");
            params.put("from", LocalDateTime.ofInstant(f.from(), ZoneOffset.UTC));
        }
        if (f.participant() != null) {
            conditions.add("(lower(c.callerName) like :who escape '\\' or lower(c.calleeName) like :who escape '\\')");
            params.put("who", "%" + f.participant().toLowerCase(java.util.Locale.ROOT)
                    .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (f.minDurationS() != null) {
            conditions.add("c.durationS >= :minDuration");
            params.put("minDuration", f.minDurationS());
        }
        if (f.to() != null) {
            conditions.add("c.startedAt < :to");
            params.put("to", LocalDateTime.ofInstant(f.to(), ZoneOffset.UTC));
        }
        return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
    }
}
