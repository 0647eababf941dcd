package dev.parley.signaling;

import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The container's executor in a unit test: {@link #inline()} or {@link #newThreads()}. */
final class TestExecutor extends AbstractExecutorService implements ManagedExecutorService {

    private final Executor runner;

    private TestExecutor(Executor runner) {
        this.runner = runner;
    }

    /** Runs each task at once on the caller's thread. */
    static TestExecutor inline() {
        return new TestExecutor(Runnable::run);
    }

    /** Runs each task on a new daemon thread, as a pool would when a task may block. */
    static TestExecutor newThreads() {
        return new TestExecutor(task -> {
            Thread thread = new Thread(task, "test-executor");
            thread.setDaemon(true);
            thread.start();
        });
    }

    @Override
    public void execute(Runnable command) {
        runner.execute(command);
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    @Override
    public <U> CompletableFuture<U> completedFuture(U value) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <U> CompletionStage<U> completedStage(U value) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> CompletableFuture<T> copy(CompletableFuture<T> stage) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> CompletionStage<T> copy(CompletionStage<T> stage) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <U> CompletableFuture<U> failedFuture(Throwable ex) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <U> CompletionStage<U> failedStage(Throwable ex) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ContextService getContextService() {
        throw new UnsupportedOperationException();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> runAsync(Runnable runnable) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <U> CompletableFuture<U> supplyAsync(Supplier<U> supplier) {
        throw new UnsupportedOperationException();
    }
}
