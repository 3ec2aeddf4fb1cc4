package dev.taskd.api;

import dev.taskd.audit.AuditTrail;
import dev.taskd.loop.LoopEngine;
import dev.taskd.metrics.MetricsService;
import dev.taskd.metrics.TaskdMetrics;
import dev.taskd.process.OutputHub;
import dev.taskd.notify.DeliveryLog;
import dev.taskd.reload.HotReloadManager;
import dev.taskd.schedule.Schedules;
import dev.taskd.loop.LoopException;
import dev.taskd.store.StorageUnavailableException;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The admin API: Helidon 4 SE on virtual threads, JSON under {@code /v1}. Bodies over 1 MiB are
 * refused with 413; every endpoint but health and ready needs a bearer token when one is
 * configured. The dashboard's static files ({@link DashboardService}) hold no data and need none.
 */
public final class ApiServer implements AutoCloseable {

    static final long MAX_BODY_BYTES = 1024 * 1024;

    /**
     * How long a connection may sit without a request before the server closes it — also one
     * that sent part of a request line and stopped, which would otherwise hold its socket and
     * thread for ever. Generous for an admin client between two requests; Helidon's default is
     * five minutes.
     */
    public static final Duration IDLE_CONNECTION_TIMEOUT = Duration.ofSeconds(30);

    /** How often idle connections are looked for: a connection is closed at most this late. */
    public static final Duration IDLE_CHECK_PERIOD = Duration.ofSeconds(5);

    /**
     * How long a client may take from the end of its request line to the end of its headers
     * before the connection is closed ({@link RequestDeadline}); the idle timeout does not cover
     * a request whose line has arrived.
     */
    public static final Duration REQUEST_HEAD_TIMEOUT = Duration.ofSeconds(30);

    /**
     * How long a client may take from the end of its headers to the end of the body they announce
     * before the connection is closed ({@link RequestDeadline}): a body is at most 1 MiB, so a
     * client that needs longer has stalled.
     */
    public static final Duration REQUEST_BODY_TIMEOUT = Duration.ofSeconds(30);
    private static final System.Logger LOG = System.getLogger(ApiServer.class.getName());
    private static final Set<String> OPEN_PATHS = Set.of("/v1/health", "/v1/ready");

    private final WebServer server;
    private final RequestDeadline deadline;
    private final boolean tokenRequired;

    private ApiServer(WebServer server, RequestDeadline deadline, boolean tokenRequired) {
        this.server = server;
        this.deadline = deadline;
        this.tokenRequired = tokenRequired;
    }

    /**
     * Starts listening on {@code host:port} (port 0: any free port). Requests are checked against
     * the tokens of the generation in force ({@link DaemonStatus#generation()}) and
     * {@code TASKD_TOKEN}, so a reload rotates them.
     *
     * @throws IOException when {@code host} is not a loopback address and no token is configured
     *                     (a token file of blank and comment lines, or a blank {@code TASKD_TOKEN},
     *                     is no token); the configuration loader refuses that first, so this is
     *                     a second line of defence
     */
    public static ApiServer start(String host, int port, DaemonStatus daemon, LoopEngine engine,
                                  HotReloadManager reloads, AuditTrail audit, EventStream events, TaskdMetrics metrics,
                                  OutputHub output, Schedules schedules, DeliveryLog deliveries)
            throws IOException {
        Tokens tokens = Tokens.of(() -> daemon.generation().snapshot().secrets(), System.getenv("TASKD_TOKEN"));
        Path tokenFile = daemon.generation().snapshot().config().auth().tokenFile();
        if (!tokens.required() && !InetAddress.getByName(host).isLoopbackAddress()) {
            throw new IOException("no API token for " + host + ", which is reachable from other machines: "
                    + (tokenFile == null ? "" : tokenFile + " holds no token and ")
                    + "TASKD_TOKEN is unset or blank; add a token, or listen on 127.0.0.1");
        }
        RequestDeadline deadline = new RequestDeadline(REQUEST_HEAD_TIMEOUT, REQUEST_BODY_TIMEOUT);
        // Only HTTP/1.1, configured here: a second, discovered protocol would make Helidon read
        // the first bytes of every connection to choose, and a client that sends none would
        // then escape the idle timeout.
        WebServer server = WebServer.builder()
                .host(host)
                .port(port)
                .shutdownHook(false)
                .maxPayloadSize(MAX_BODY_BYTES)
                .idleConnectionTimeout(IDLE_CONNECTION_TIMEOUT)
                .idleConnectionPeriod(IDLE_CHECK_PERIOD)
                .protocolsDiscoverServices(false)
                .addProtocol(Http1Config.builder().addReceiveListener(deadline).build())
                .directHandlers(handlers -> handlers
                        .addHandler(DirectHandler.EventType.PAYLOAD_TOO_LARGE, ApiServer::direct)
                        .addHandler(DirectHandler.EventType.BAD_REQUEST, ApiServer::direct))
                .routing(routing -> routes(routing, deadline, tokens, daemon, engine, reloads, audit, events, metrics,
                        output, schedules, deliveries))
                .build()
                .start();
        if (server.port() < 0) {
            // Helidon logs a failed bind and starts anyway, listening nowhere: a start must fail instead.
            server.stop();
            deadline.close();
            throw new IOException("cannot listen on " + (host.contains(":") ? "[" + host + "]" : host) + ":" + port
                    + ": " + bindFailure(host, port));
        }
        return new ApiServer(server, deadline, tokens.required());
    }

    /** Why {@code host:port} cannot be bound, as the operating system says it, in lower case. */
    private static String bindFailure(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, port));
            return "the server did not start (see the log above)";
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            return reason.toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Builds, and drops, a server configured like the one {@link #start} makes, without opening a
     * socket: Helidon's first server discovers its services and reads its metadata, about 0.2 s
     * that a start can spend on another thread while it parses its configuration. A failure is
     * left for {@link #start} to meet and report.
     */
    public static void warmUp() {
        try {
            WebServer.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .shutdownHook(false)
                    .protocolsDiscoverServices(false)
                    .addProtocol(Http1Config.builder().build())
                    .routing(routing -> routing.get("/", (request, response) -> response.send()))
                    .build();
        } catch (RuntimeException | LinkageError e) {
            // Deliberately dropped: see above.
        }
    }

    private static void routes(HttpRouting.Builder routing, RequestDeadline deadline, Tokens tokens,
                               DaemonStatus daemon, LoopEngine engine, HotReloadManager reloads, AuditTrail audit,
                               EventStream events, TaskdMetrics metrics, OutputHub output, Schedules schedules,
                               DeliveryLog deliveries) {
        routing.addFilter((chain, request, response) -> {
            String path = request.path().path();
            if (!OPEN_PATHS.contains(path) && !DashboardService.serves(path)
                    && !tokens.admits(request.headers().first(HeaderNames.AUTHORIZATION).orElse(null))) {
                response.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
                if (request.content().hasEntity()) {
                    // Else Helidon would read the unread body after answering, from a client
                    // that has not shown a token, for as long as it cared to send it.
                    response.header(HeaderValues.CONNECTION_CLOSE);
                }
                Responses.error(response, 401, "unauthorized", "a valid 'Authorization: Bearer TOKEN' header is needed");
                return;
            }
            RequestBodies.receive(request, deadline);
            chain.proceed();
        });
        register(routing, daemon, engine, reloads, audit, events, metrics, output, schedules, deliveries);
        routing.any((request, response) -> Responses.error(response, 404, "not_found",
                "no endpoint " + request.path().path() + "; the endpoints are under /v1 (README, \"Admin API\")"));
        routing.error(Exception.class, (request, response, e) -> {
            LOG.log(System.Logger.Level.WARNING, "api_error " + request.prologue().method().text() + " "
                    + request.path().path(), e);
            Responses.error(response, 500, "internal", "the daemon failed to answer; its log has the cause (api_error)");
        });
        routing.error(ApiException.class, (request, response, e) -> Responses.error(response, e.status(), e.code(),
                e.getMessage()));
        // 507 rather than 503: the condition is the server's disk, which a retry does not fix
        // until someone frees space; the message names the data dir and its free space.
        routing.error(StorageUnavailableException.class, (request, response, e) ->
                Responses.error(response, 507, "insufficient_storage", e.getMessage()));
        routing.error(LoopException.class, (request, response, e) -> {
            switch (e.kind()) {
                case BAD_REQUEST -> Responses.error(response, 400, "bad_request", e.getMessage());
                case NOT_FOUND -> Responses.error(response, 404, "not_found", e.getMessage());
                case AMBIGUOUS -> Responses.error(response, 409, "ambiguous", e.getMessage());
                case CONFLICT -> Responses.error(response, 409, "conflict", e.getMessage());
                case QUEUE_FULL -> Responses.error(response, 429, "queue_full", e.getMessage());
                case DRAINING -> {
                    response.header(HeaderNames.RETRY_AFTER, "5");
                    Responses.error(response, 503, "draining", e.getMessage());
                }
            }
        });
    }

    /**
     * Registers every service, and so every route, of the API: the one list that the OpenAPI
     * document ({@link OpenApiService}) must cover, which its test reads through this method.
     */
    static void register(HttpRules routing, DaemonStatus daemon, LoopEngine engine, HotReloadManager reloads,
                         AuditTrail audit, HttpService events, TaskdMetrics metrics, OutputHub output,
                         Schedules schedules, DeliveryLog deliveries) {
        routing.register("/v1", new HealthService(daemon), new StatusService(daemon, engine),
                new LoopsService(engine, loopId -> schedules.origin(loopId)), new DecisionsService(engine),
                new OutputService(engine, output), new LoopTypesService(daemon, engine),
                new ReloadService(reloads, daemon), new AuditService(audit), events, new OpenApiService(),
                new SchedulesService(schedules), new NotifyService(deliveries));
        routing.register(new MetricsGate(daemon, new MetricsService(metrics)));
        routing.register(new DashboardService());
    }

    /**
     * Answers for requests Helidon refuses before routing (an oversized body, a malformed
     * request): the same JSON error shape as every other error. Helidon reports an oversized
     * body as a bad request with status 413, so the status decides the code.
     */
    private static DirectHandler.TransportResponse direct(DirectHandler.TransportRequest request,
                                                          DirectHandler.EventType event, Status status,
                                                          ServerResponseHeaders headers, String detail) {
        boolean tooLarge = status.code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code();
        String message = tooLarge ? "the request body is over " + MAX_BODY_BYTES + " bytes"
                : detail == null || detail.isBlank() ? status.reasonPhrase() : detail;
        return DirectHandler.TransportResponse.builder()
                .status(status)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .entity(ApiJson.write(ApiJson.error(tooLarge ? "too_large" : "bad_request", message)) + "\n")
                .build();
    }

    public int port() {
        return server.port();
    }

    public boolean tokenRequired() {
        return tokenRequired;
    }

    @Override
    public void close() {
        server.stop();
        deadline.close();
    }
}
