package dev.parley.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallCsvTest {

    @Test
    void headerComesFirstThenOneCrlfLinePerCall() throws IOException {
        StringWriter out = new StringWriter();
        CallCsv csv = new CallCsv(out);

        csv.header();
        csv.row(call("c1", "Alice", "Bob"));
        csv.row(call("c2", "Carol", "Dan"));

        String text = out.toString();
        assertTrue(text.startsWith("id,room,caller_id,caller_name,callee_id,callee_name,status,started_at,"
                + "answered_at,ended_at,end_reason,duration_s,setup_ms,"), text);
        assertTrue(text.endsWith("\r\n"));
        String[] lines = text.split("\r\n");
        assertEquals(3, lines.length);
        int columns = lines[0].split(",", -1).length;
        assertEquals(23, columns);
        assertTrue(lines[1].startsWith("c1,"));
        assertTrue(lines[2].startsWith("c2,"));
        assertEquals(columns, lines[1].split(",", -1).length);
    }

    @Test
    void rowWritesEveryFieldWithInstantsInUtcAndEmptyCellsForMissingValues() throws IOException {
        Call c = call("c1", "Alice", "Bob");
        c.callerQuality = new CallQuality();
        c.callerQuality.rttMs = 42.5;
        c.callerQuality.candidateType = "relay";

        List<String> cells = parse(row(c)).get(0);

        assertEquals(List.of("c1", "demo", "p1", "Alice", "p2", "Bob", "ended", "2026-11-23T20:15:00Z",
                "2026-11-23T20:15:02Z", "2026-11-23T20:16:03Z", "hangup", "61", "2000",
                "42.5", "", "", "", "relay", "", "", "", "", ""), cells);
    }

    @Test
    void commasQuotesAndNewlinesAreQuotedPerRfc4180() throws IOException {
        Call c = call("c1", "Smith, John", "Say \"hi\"");
        c.roomName = "line1\nline2";
        c.endReason = "cr\rhere";

        String line = row(c);

        assertTrue(line.contains(",\"Smith, John\","), line);
        assertTrue(line.contains(",\"Say \"\"hi\"\"\""), line);
        assertTrue(line.contains(",\"line1\nline2\","), line);
        assertTrue(line.contains(",\"cr\rhere\","), line);
        List<String> cells = parse(line).get(0);
        assertEquals("line1\nline2", cells.get(1));
        assertEquals("Smith, John", cells.get(3));
        assertEquals("Say \"hi\"", cells.get(5));
        assertEquals("cr\rhere", cells.get(10));
    }

    @Test
    void cellsThatASpreadsheetWouldRunAsAFormulaArePrefixedWithAnApostrophe() throws IOException {
        Call c = call("c1", "=cmd|' /C calc'!A0", "+1");
        c.roomName = "-1";
        c.calleeId = "@x";

        List<String> cells = parse(row(c)).get(0);

        assertEquals("'-1", cells.get(1));
        assertEquals("'=cmd|' /C calc'!A0", cells.get(3));
        assertEquals("'@x", cells.get(4));
        assertEquals("'+1", cells.get(5));
    }

    @Test
    void formulaCellWithACommaIsBothPrefixedAndQuoted() throws IOException {
        String line = row(call("c1", "=SUM(A1,A2)", "Bob"));

        assertTrue(line.contains(",\"'=SUM(A1,A2)\","), line);
    }

    @Test
    void tabAndCarriageReturnStartsArePrefixedToo() throws IOException {
        List<String> cells = parse(row(call("c1", "\t=1", "\r=2"))).get(0);

        assertEquals("'\t=1", cells.get(3));
        assertEquals("'\r=2", cells.get(5));
    }

    @Test
    void plainTextAndNumbersAreWrittenAsTheyAre() throws IOException {
        List<String> cells = parse(row(call("c1", "Alice-Smith", "O'Brien"))).get(0);

        assertEquals("Alice-Smith", cells.get(3));
        assertEquals("O'Brien", cells.get(5));
        assertEquals("61", cells.get(11));
    }

    private static String row(Call c) throws IOException {
        StringWriter out = new StringWriter();
        new CallCsv(out).row(c);
        return out.toString();
    }

    private static Call call(String id, String callerName, String calleeName) {
        Call c = new Call();
        c.id = id;
        c.roomId = "r1";
        c.roomName = "demo";
        c.callerId = "p1";
        c.callerName = callerName;
        c.calleeId = "p2";
        c.calleeName = calleeName;
        c.status = "ended";
        c.startedAt = LocalDateTime.of(2026, 11, 23, 20, 15, 0);
        c.answeredAt = LocalDateTime.of(2026, 11, 23, 20, 15, 2);
        c.endedAt = LocalDateTime.of(2026, 11, 23, 20, 16, 3);
        c.endReason = "hangup";
        c.durationS = 61L;
        c.setupMs = 2000L;
        return c;
    }

    /** A small RFC 4180 reader (CRLF records, quoted fields may hold commas, quotes and line breaks). */
    private static List<List<String>> parse(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                assertEquals(0, cell.length(), "a quote may only open a field");
                quoted = true;
            } else if (ch == ',') {
                record.add(cell.toString());
                cell.setLength(0);
            } else if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                record.add(cell.toString());
                cell.setLength(0);
                records.add(record);
                record = new ArrayList<>();
                i++;
            } else {
                assertTrue(ch != '\r' && ch != '\n', "bare line break outside quotes at " + i);
                cell.append(ch);
            }
        }
        assertEquals(0, cell.length() + record.size(), "the last record ends with CRLF");
        return records;
    }
}
