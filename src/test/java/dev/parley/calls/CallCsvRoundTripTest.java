package dev.parley.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * What a spreadsheet or a CSV library reads back from an export is exactly what was stored, whatever the names
 * contain; only cells a spreadsheet would run as formulas come back with a leading apostrophe.
 */
class CallCsvRoundTripTest {

    @Test
    void awkwardNamesSurviveAStandardCsvParser() throws Exception {
        List<String> names = List.of("plain", "comma, inside", "quote \" inside", "line\nbreak", "crlf\r\nbreak",
                "=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(A1)", "ünïcødé 名前", "");
        StringWriter out = new StringWriter();
        CallCsv csv = new CallCsv(out);
        csv.header();
        for (int i = 0; i < names.size(); i++) {
            csv.row(call("id-" + i, names.get(i)));
        }
        List<CSVRecord> records = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(out.toString())).getRecords();
        assertEquals(names.size(), records.size());
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            boolean formula = !name.isEmpty() && "=+-@".indexOf(name.charAt(0)) >= 0;
            assertEquals(formula ? "'" + name : name, records.get(i).get("caller_name"), "row " + i);
            assertEquals("id-" + i, records.get(i).get("id"));
            assertEquals("ended", records.get(i).get("status"));
            assertEquals("2026-11-23T10:00:00Z", records.get(i).get("started_at"));
            assertEquals("42", records.get(i).get("duration_s"));
            assertEquals("", records.get(i).get("answered_at"), "absent values are empty cells");
        }
        assertEquals(List.of(CallCsv.HEADER.split(",")), records.get(0).getParser().getHeaderNames());
    }

    private static Call call(String id, String callerName) {
        Call c = new Call();
        c.id = id;
        c.roomName = "room";
        c.callerId = "a";
        c.callerName = callerName;
        c.calleeId = "b";
        c.calleeName = "B";
        c.status = "ended";
        c.startedAt = LocalDateTime.of(2026, 11, 23, 10, 0);
        c.durationS = 42L;
        return c;
    }
}
