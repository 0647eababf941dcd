package dev.parley.calls;

import java.io.IOException;
import java.io.Writer;

/**
 * Call history as CSV (RFC 4180): one header line, then one line per call, CRLF line ends. Cells that a
 * spreadsheet would run as a formula ({@code = + - @}, tab, CR) are prefixed with an apostrophe.
 */
public final class CallCsv {

    static final String HEADER = "id,room,caller_id,caller_name,callee_id,callee_name,status,started_at,answered_at,"
            + "ended_at,end_reason,duration_s,setup_ms,caller_rtt_ms,caller_jitter_ms,caller_packets_lost_pct,"
            + "caller_bitrate_kbps,caller_candidate_type,callee_rtt_ms,callee_jitter_ms,callee_packets_lost_pct,"
            + "callee_bitrate_kbps,callee_candidate_type";

    private final Writer out;

    public CallCsv(Writer out) {
        this.out = out;
    }

    public void header() throws IOException {
        out.write(HEADER);
        out.write("\r\n");
    }

    public void row(Call c) throws IOException {
        CallQuality a = c.callerQuality == null ? new CallQuality() : c.callerQuality;
        CallQuality b = c.calleeQuality == null ? new CallQuality() : c.calleeQuality;
        Object[] cells = {c.id, c.roomName, c.callerId, c.callerName, c.calleeId, c.calleeName, c.status,
            CallJson.instant(c.startedAt), CallJson.instant(c.answeredAt), CallJson.instant(c.endedAt), c.endReason,
            c.durationS, c.setupMs, a.rttMs, a.jitterMs, a.packetsLostPct, a.bitrateKbps, a.candidateType,
            b.rttMs, b.jitterMs, b.packetsLostPct, b.bitrateKbps, b.candidateType};
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(cell(cells[i]));
        }
        out.write("\r\n");
    }

    static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (value instanceof String && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
                || text.indexOf('\r') >= 0;
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}
