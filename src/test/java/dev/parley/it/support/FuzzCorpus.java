package dev.parley.it.support;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The fuzz test's regression corpus: every frame sequence that once made the server misbehave, one JSON file
 * each ({@code {"found": "...", "anomalies": [...], "frames": [...]}}), replayed by {@code HostileInputIT}.
 */
public final class FuzzCorpus {

    /** Where the corpus lives in the source tree (tests run with the project directory as working directory). */
    public static final Path DIR = Path.of(System.getProperty("parley.it.fuzz-corpus", "src/test/resources/fuzz-corpus"));

    private FuzzCorpus() {
    }

    public static Path save(String name, String found, List<String> frames, List<String> anomalies) {
        JsonArrayBuilder frameArray = Json.createArrayBuilder();
        frames.forEach(frameArray::add);
        JsonArrayBuilder anomalyArray = Json.createArrayBuilder();
        anomalies.forEach(anomalyArray::add);
        JsonObject entry = Json.createObjectBuilder().add("found", found).add("anomalies", anomalyArray)
                .add("frames", frameArray).build();
        try {
            Files.createDirectories(DIR);
            Path file = DIR.resolve(name + ".json");
            Files.writeString(file, entry.toString() + "\n", StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every entry by file name, each as the frames to send in order. */
    public static Map<String, List<String>> load() {
        Map<String, List<String>> entries = new TreeMap<>();
        if (!Files.isDirectory(DIR)) {
            return entries;
        }
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                     JsonReader reader = Json.createReader(in)) {
                    entries.put(file.getFileName().toString(), reader.readObject().getJsonArray("frames")
                            .getValuesAs(JsonString.class).stream().map(JsonString::getString).toList());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }
}
