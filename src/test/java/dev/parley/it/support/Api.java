package dev.parley.it.support;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A black-box REST client for the deployed WAR; admin calls carry the test server's admin token. */
public final class Api {

    public static final String ADMIN_TOKEN = "it-admin-token";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String base;

    public Api(URL base) {
        String b = base.toString();
        this.base = b.endsWith("/") ? b : b + "/";
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send(request(path, headers).GET());
    }

    /** An admin request with extra headers (for example {@code Accept: text/csv}). */
    public HttpResponse<String> admin(String method, String path, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Bearer " + ADMIN_TOKEN;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return send(request(path, all).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    public HttpResponse<String> adminGet(String path) {
        return admin("GET", path);
    }

    public HttpResponse<String> post(String path, String body, String... headers) {
        return send(request(path, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A POST of raw bytes under a {@code Content-Type} of the caller's choosing. */
    public HttpResponse<String> post(String path, String contentType, byte[] body, String... headers) {
        return send(request(path, headers).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public JsonObject adminJson(String path) {
        HttpResponse<String> response = adminGet(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return object(response.body());
    }

    public static JsonObject object(String body) {
        return (JsonObject) parse(body);
    }

    public static JsonArray array(String body) {
        return (JsonArray) parse(body);
    }

    private static JsonStructure parse(String body) {
        return Json.createReader(new StringReader(body)).read();
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("request failed: " + e, e);
        }
    }
}
