package dev.parley.cluster;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/** One instance alone: it holds every room and token; there is nobody to send to. */
public final class LocalGrid implements Grid {

    private final String instanceId;

    public LocalGrid(String instanceId) {
        this.instanceId = instanceId;
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public boolean clustered() {
        return false;
    }

    @Override
    public String claim(String room) {
        return instanceId;
    }

    @Override
    public String ownerOf(String room) {
        return instanceId;
    }

    @Override
    public void release(String room) {
    }

    @Override
    public void tokenIssued(String token, String participantId) {
    }

    @Override
    public void tokenRetired(String token, String participantId, String departure) {
    }

    @Override
    public String holderOfToken(String token) {
        return instanceId;
    }

    @Override
    public String participantOfToken(String token) {
        return null; // Presence knows all of this instance's tokens itself
    }

    @Override
    public String departureOfToken(String token) {
        return null; // as above
    }

    @Override
    public void send(String instance, String message) {
        throw new IllegalStateException("no instance " + instance + " without a cluster");
    }

    @Override
    public CompletableFuture<String> ask(String instance, String question) {
        return CompletableFuture.failedFuture(new IllegalStateException("no instance " + instance + " without a cluster"));
    }

    @Override
    public void onMessage(Consumer<String> handler) {
    }

    @Override
    public void serve(Function<String, String> answers) {
    }

    @Override
    public void onInstanceLost(Consumer<String> handler) {
    }

    @Override
    public boolean leader() {
        return true;
    }

    @Override
    public List<String> instances() {
        return List.of(instanceId);
    }

    @Override
    public void stop() {
    }
}
