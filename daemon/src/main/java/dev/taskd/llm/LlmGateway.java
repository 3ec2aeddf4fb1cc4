package dev.taskd.llm;

import dev.taskd.concurrent.Cancellation;
import dev.taskd.concurrent.Limiter;
import dev.taskd.concurrent.Threads;
import dev.taskd.config.TaskdConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way taskd talks to LLM providers, shared by every loop: {@code ctx.llm.chat} calls
 * {@link #chat}. Provider settings and limits are read at the start of every call, so a reload
 * applies to the next call and never to one half-way. Thread-safe; one instance per daemon, so
 * that {@code max-api-calls} and {@code api-calls-per-minute} hold across all loops.
 */
public final class LlmGateway {

    private static final Logger LOG = LoggerFactory.getLogger(LlmGateway.class);

    private final Supplier<TaskdConfig.Llm> llm;
    private final Supplier<HttpClient> http;
    private final RetryPolicy policy;
    private final Clock clock;
    private final UnaryOperator<String> environment;
    private final Consumer<CallRecord> listener;
    private final Limiter permits;
    private final RateWindow window;

    /**
     * @param llm         the current {@code [llm]} settings, read at the start of each call
     * @param limits      the current limits; {@code max-api-calls} and {@code api-calls-per-minute}
     *                    are read on every request start
     * @param clock       the wall clock, for {@code Retry-After} dates
     * @param environment looks up {@code api-key-env} variables ({@code System::getenv})
     * @param listener    told of every request sent, on the calling thread; its exceptions are
     *                    logged and ignored
     */
    public LlmGateway(Supplier<TaskdConfig.Llm> llm, Supplier<TaskdConfig.Limits> limits, HttpClient http,
                      RetryPolicy policy, Clock clock, UnaryOperator<String> environment,
                      Consumer<CallRecord> listener) {
        this(llm, limits, () -> http, policy, clock, environment, listener);
    }

    private LlmGateway(Supplier<TaskdConfig.Llm> llm, Supplier<TaskdConfig.Limits> limits, Supplier<HttpClient> http,
                       RetryPolicy policy, Clock clock, UnaryOperator<String> environment,
                       Consumer<CallRecord> listener) {
        this.llm = llm;
        this.http = http;
        this.policy = policy;
        this.clock = clock;
        this.environment = environment;
        this.listener = listener;
        this.permits = new Limiter(() -> limits.get().maxApiCalls());
        this.window = new RateWindow(() -> limits.get().apiCallsPerMinute(), System::nanoTime);
    }

    /**
     * A gateway with the default retry policy, the system clock and environment, and
     * {@link #httpClient()} built at the first call: building one sets up TLS (the default
     * SSLContext reads the trust store), a quarter of a second that the daemon's start need not
     * wait for, and that a daemon whose loops never call a model never pays.
     */
    public static LlmGateway create(Supplier<TaskdConfig.Llm> llm, Supplier<TaskdConfig.Limits> limits,
                                    Consumer<CallRecord> listener) {
        return new LlmGateway(llm, limits, new FirstUse<>(LlmGateway::httpClient), RetryPolicy.defaults(),
                Clock.systemUTC(), System::getenv, listener);
    }

    /** An HTTP client whose work runs on virtual threads; connecting may take at most 10 s. */
    public static HttpClient httpClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newThreadPerTaskExecutor(Threads.virtualFactory("llm-http"))).build();
    }

    /** As {@link #chat(ChatRequest, Cancellation, ReplySink)}, with the reply shown nowhere. */
    public ChatResponse chat(ChatRequest request, Cancellation cancellation) throws LlmException, InterruptedException {
        return chat(request, cancellation, ReplySink.NOWHERE);
    }

    /**
     * Sends {@code request} and returns the reply, retrying as {@link RetryPolicy} says: 429 waits
     * for {@code Retry-After}; 5xx, 408, timeouts, connection errors and malformed replies back off
     * and retry; other 4xx fail at once. A permit of {@code max-api-calls} is held only while a
     * request is on the wire, never during a wait.
     *
     * <p>The reply is streamed: {@code sink} gets its text as it arrives, before this returns. A
     * stream that breaks off part-way (the connection drops, an error event, no end marker) is a
     * malformed reply and is retried within the same budget, whether or not text was already
     * given: a loop is better served by a whole reply than by failing on a network blip. When
     * text was given, {@link ReplySink#discarded} says so before the retry, so a live view can
     * mark the false start; the returned reply is only the last, whole one.
     *
     * @throws LlmException         when no reply was had; {@link LlmException#kind()} says why. When
     *                              {@code cancellation} is cancelled the request on the wire is
     *                              aborted and any wait ends at once, with kind {@code CANCELLED}
     * @throws InterruptedException when the calling thread is interrupted (the request on the wire
     *                              is aborted)
     */
    public ChatResponse chat(ChatRequest request, Cancellation cancellation, ReplySink sink)
            throws LlmException, InterruptedException {
        Route route = Routes.resolve(llm.get(), request.model(), environment);
        Requests.check(request);
        try (CallControl call = CallControl.watch(cancellation)) {
            return attempts(route, request, call, sink);
        }
    }

    /**
     * The attempts of one call. The endpoint and key are read again once a permit is held, just
     * before each request is sent: a call that waited behind {@code max-api-calls} while the key
     * file was rotated, or while a reload changed the endpoint, sends with the new ones.
     */
    private ChatResponse attempts(Route first, ChatRequest chat, CallControl call, ReplySink caller)
            throws LlmException, InterruptedException {
        int failures = 0;
        int rateLimited = 0;
        Route route = first;
        for (int attempt = 1; ; attempt++) {
            startRequest(route, call);
            long started = System.nanoTime();
            Attempt result;
            GuardedSink sink;
            try {
                route = Routes.resolve(llm.get(), chat.model(), environment);
                sink = new GuardedSink(caller, route.label());
                result = exchange(route, route.client().request(route, chat, policy.requestTimeout()), call, sink);
            } finally {
                permits.release();
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            switch (result) {
                case Attempt.Success success -> {
                    tell(route, attempt, CallRecord.Outcome.OK, 200, success.response().usage(), elapsed, null);
                    return success.response();
                }
                case Attempt.RateLimited limited -> {
                    rateLimited++;
                    tell(route, attempt, CallRecord.Outcome.RATE_LIMITED, 429, Usage.NONE, elapsed, limited.message());
                    if (rateLimited >= policy.rateLimitedAttempts()) {
                        throw new LlmException(LlmException.Kind.RATE_LIMITED, route.label() + ": gave up after "
                                + rateLimited + " rate-limited attempts: " + limited.message(), 429, null);
                    }
                    pause(route, call, limited.retryAfter());
                }
                case Attempt.Retryable failed -> {
                    failures++;
                    boolean last = failures >= policy.errorAttempts();
                    tell(route, attempt, last ? CallRecord.Outcome.FAILED : CallRecord.Outcome.RETRIED,
                            failed.status(), Usage.NONE, elapsed, failed.message());
                    if (last) {
                        throw new LlmException(LlmException.Kind.UNAVAILABLE, route.label() + ": failed after "
                                + failures + " attempts: " + failed.message(), failed.status(), failed.cause());
                    }
                    sink.discarded(failed.message());
                    pause(route, call, policy.backoff(failures));
                }
                case Attempt.Fatal fatal -> {
                    tell(route, attempt, CallRecord.Outcome.FAILED, fatal.status(), Usage.NONE, elapsed,
                            fatal.message());
                    throw new LlmException(fatal.status() > 0 ? LlmException.Kind.REJECTED
                            : LlmException.Kind.UNAVAILABLE, route.label() + ": " + fatal.message(), fatal.status(),
                            fatal.cause());
                }
                case Attempt.Stopped stopped -> {
                    tell(route, attempt, CallRecord.Outcome.CANCELLED, 0, Usage.NONE, elapsed, "stopped");
                    throw cancelled(route, call);
                }
            }
        }
    }

    /** Takes a permit and a slot of the per-minute window; holds no permit while waiting for the window. */
    private void startRequest(Route route, CallControl call) throws LlmException, InterruptedException {
        while (true) {
            if (!call.acquire(permits)) {
                throw cancelled(route, call);
            }
            long wait = window.tryStart();
            if (wait == 0) {
                return;
            }
            permits.release();
            pause(route, call, Duration.ofNanos(wait));
        }
    }

    private Attempt exchange(Route route, HttpRequest request, CallControl call, ReplySink sink)
            throws InterruptedException {
        try {
            HttpResponse<ReplyBody> response = call.await(http.get().sendAsync(request,
                    ReplyEvents.handler(route, sink)));
            return Replies.classify(route, response, sink, clock.instant(), policy);
        } catch (CancellationException e) {
            return new Attempt.Stopped();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            return call.isStopped() ? new Attempt.Stopped() : Replies.classify(route, cause, policy.requestTimeout());
        }
    }

    private void pause(Route route, CallControl call, Duration wait) throws LlmException, InterruptedException {
        if (!call.sleep(wait)) {
            throw cancelled(route, call);
        }
    }

    private static LlmException cancelled(Route route, CallControl call) {
        return new LlmException(LlmException.Kind.CANCELLED, "call to " + route.label() + " stopped: " + call.reason());
    }

    private void tell(Route route, int attempt, CallRecord.Outcome outcome, int status, Usage usage, Duration elapsed,
                      String error) {
        try {
            listener.accept(new CallRecord(route.provider(), route.model(), attempt, outcome, status, usage, elapsed,
                    error));
        } catch (RuntimeException e) {
            LOG.warn("LLM call listener failed on {} attempt {}: {}", route.label(), attempt, e.toString(), e);
        }
    }
}
