package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks as a receiver sees them, with one daemon and two local receivers: one answers at
 * once, and its deliveries carry a signature that verifies (recomputed here from the body and
 * the shared key) and the JSON {@code /v1/events} gives; the other holds every request, and
 * loops still finish on time while it does. The deliveries show in {@code taskd notify log};
 * URLs and keys show in no config view or audit entry.
 */
class NotifyEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "s3cret-for-the-test";
    private static final String QUICK = "command = \"true\"\nmax-iterations = 1\n[validation]\ncommand = \"true\"\n";

    @TempDir
    Path home;

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger held = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    private record Received(String body, String signature, String delivery, String event) {
    }

    @Test
    void aSignedNotificationVerifiesAndAHangingReceiverDelaysNoLoop() throws Exception {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/ok", this::answer);
        receiver.createContext("/hang", this::hang);
        receiver.start();
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        String config = """
                [reload]
                watch = false
                resync-interval = "1d"

                [notify.ok]
                url = "%s/ok"
                events = ["loop.succeeded", "reload.applied"]
                types = ["quick"]
                secret-env = "TASKD_TEST_HOOK_KEY"

                [notify.hang]
                url = "%s/hang"
                events = ["loop.submitted", "loop.started", "loop.succeeded"]
                """.formatted(base, base);
        try (DaemonProcess daemon = new DaemonProcess(home, config).withEnvironment("TASKD_TEST_HOOK_KEY", SECRET)
                .file("loop-types/quick.toml", QUICK).file("loop-types/other.toml", QUICK).start()) {
            long started = System.nanoTime();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String id = daemon.submit("quick", "{}", 0);
                daemon.awaitState(id, Duration.ofSeconds(5), "succeeded");
                ids.add(id);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(held.get()).as("the hanging receiver holds requests meanwhile").isPositive();
            assertThat(took).as("five one-iteration loops in a row, while the receiver hangs").isLessThan(Duration.ofSeconds(8));
            daemon.awaitState(daemon.submit("other", "{}", 0), Duration.ofSeconds(5), "succeeded");

            DaemonProcess.await(Duration.ofSeconds(10), "five notifications", () -> received.size() >= 5);
            for (Received one : received) {
                assertThat(one.signature()).isEqualTo("sha256=" + hmac(one.body()));
                assertThat(one.delivery()).isNotBlank();
                assertThat(one.event()).isEqualTo("loop.succeeded");
                JsonNode body = JSON.readTree(one.body());
                assertThat(body.get("event").asText()).isEqualTo("loop_finished");
                assertThat(body.get("state").asText()).isEqualTo("succeeded");
                assertThat(ids).as("only loops of type quick (the types filter)").contains(body.get("loop_id").asText());
            }
            assertThat(received.stream().map(Received::delivery).distinct()).hasSize(received.size());

            Cli.Result log = Cli.run(home, daemon.port, "notify", "log");
            assertThat(log.exit()).as(log.stderr()).isZero();
            assertThat(log.stdout()).contains("ok", "loop.succeeded", "delivered", "hang", "pending")
                    .doesNotContain("/ok").doesNotContain("/hang");

            Files.writeString(daemon.config, Files.readString(daemon.config) + """
                    [notify.third]
                    url = "%s/ok?token=abc123secret"
                    events = ["reload.failed"]
                    """.formatted(base));
            Cli.Result reload = Cli.run(home, daemon.port, "reload");
            assertThat(reload.exit()).as(reload.stderr()).isZero();
            DaemonProcess.await(Duration.ofSeconds(10), "the reload.applied notification",
                    () -> received.stream().anyMatch(one -> one.event().equals("reload.applied")));
            String views = daemon.get("/v1/config").body() + daemon.get("/v1/audit").body()
                    + Cli.run(home, daemon.port, "audit").stdout();
            assertThat(views).doesNotContain("abc123secret").doesNotContain(base + "/ok")
                    .doesNotContain("TASKD_TEST_HOOK_KEY").doesNotContain(SECRET).contains("notify.third.url");
        } finally {
            release.countDown();
            receiver.stop(0);
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(body, exchange.getRequestHeaders().getFirst("X-Taskd-Signature"),
                exchange.getRequestHeaders().getFirst("X-Taskd-Delivery"),
                exchange.getRequestHeaders().getFirst("X-Taskd-Event")));
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    private void hang(HttpExchange exchange) throws IOException {
        held.incrementAndGet();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    private static String hmac(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
