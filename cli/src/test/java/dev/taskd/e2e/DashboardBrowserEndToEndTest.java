package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The web dashboard in a real browser (headless Chromium, {@link Browser}) against the real
 * daemon: loops submitted over the API appear and change state on the page without a reload, a
 * loop is cancelled from the page, and a daemon with a token gets it from the user once. The
 * first test writes the screenshot the README shows to {@code target/dashboard.png}.
 */
class DashboardBrowserEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A loop that stays running until it is cancelled (the test never waits that long). */
    private static final String LONG = "{\"command\":\"sleep 120\",\"check\":\"false\"}";

    @TempDir
    Path home;

    @Test
    void loopsSubmittedOverTheApiAppearAndChangeStateWithoutAReloadAndOneIsCancelledFromThePage() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "").start();
             Browser browser = Browser.open(1280, 800)) {
            browser.get(url(daemon, "/#/loops"));
            browser.awaitAttribute(By.id("live"), "data-state", "live");
            browser.script("window.sameDocument = true");

            String quick = daemon.submit("retry-command", "{\"command\":\"sleep 1\",\"check\":\"true\"}", 0);
            By quickRow = row(quick);
            browser.shown(quickRow);
            browser.awaitAttribute(quickRow, "data-state", "succeeded");
            assertThat(browser.driver.findElement(quickRow).getText()).contains("retry-command");

            String slow = daemon.submit("retry-command", LONG, 0);
            browser.awaitAttribute(row(slow), "data-state", "running");
            browser.driver.findElement(row(slow)).findElement(By.cssSelector("a.id")).click();
            browser.awaitAttribute(By.id("loop-state"), "data-state", "running");
            assertThat(browser.shown(By.id("loop-data")).getText()).isEqualTo("{}");
            assertThat(browser.driver.findElement(By.cssSelector(".grid")).getText()).contains("sleep 120");

            WebElement cancel = browser.shown(By.id("action-cancel"));
            cancel.click();
            assertThat(cancel.getText()).as("the first click asks to confirm").isEqualTo("Confirm cancel");
            assertThat(daemon.state(slow)).isEqualTo("running");
            cancel.click();
            browser.awaitAttribute(By.id("loop-state"), "data-state", "cancelled");
            assertThat(daemon.state(slow)).isEqualTo("cancelled");
            assertThat(browser.driver.findElements(By.id("action-cancel"))).as("no buttons on an ended loop").isEmpty();

            String running = daemon.submit("retry-command", LONG, 5);
            browser.driver.findElement(By.cssSelector("[data-nav='loops']")).click();
            browser.awaitAttribute(row(running), "data-state", "running");
            browser.screenshot(Path.of("target", "dashboard.png"));

            browser.driver.findElement(By.cssSelector("[data-nav='overview']")).click();
            browser.await("the overview's counts", d -> count(d.findElements(By.cssSelector("#state-counts a")),
                    "cancelled").equals("1") && count(d.findElements(By.cssSelector("#state-counts a")),
                    "succeeded").equals("1"));
            assertThat(browser.script("return window.sameDocument")).as("the page was never reloaded").isEqualTo(true);
        }
    }

    @Test
    void withATokenConfiguredThePageAsksForItOnceAndThenShowsTheDaemonsData() throws Exception {
        String token = "dash-" + UUID.randomUUID();
        try (DaemonProcess daemon = new DaemonProcess(home, "[auth]\ntoken-file = \"secrets/tokens\"\n")
                .file("secrets/tokens", token + "\n").start();
             Browser browser = Browser.open(1280, 800)) {
            browser.get(url(daemon, "/"));
            browser.shown(By.id("token-input")).sendKeys("wrong-" + token);
            browser.driver.findElement(By.id("token-submit")).click();
            browser.await("the page to say the token was refused", d ->
                    d.findElement(By.id("token-dialog")).isDisplayed()
                            && d.findElement(By.id("token-reason")).getText().contains("refused"));

            WebElement input = browser.shown(By.id("token-input"));
            input.clear();
            input.sendKeys(token);
            browser.driver.findElement(By.id("token-submit")).click();
            browser.await("the generation on the overview", d -> d.findElement(By.id("view")).getText()
                    .contains("Generation"));
            browser.awaitAttribute(By.id("live"), "data-state", "live");
            assertThat(browser.script("return sessionStorage.getItem('taskd.token')")).isEqualTo(token);

            browser.driver.navigate().refresh();
            browser.shown(By.id("generation"));
            assertThat(browser.driver.findElement(By.id("token-dialog")).isDisplayed())
                    .as("asked once per session").isFalse();
            String loop = daemon.send("POST", "/v1/loops", "{\"type\":\"retry-command\",\"inputs\":" + LONG + "}",
                    token).body();
            String id = JSON.readTree(loop).get("id").asText();
            browser.get(url(daemon, "/#/loops/" + id));
            // The loop's own data, read with the token: queued or running, however busy the machine.
            browser.await("the loop's state on its page", d -> d.findElements(By.id("loop-state")).stream()
                    .anyMatch(state -> List.of("queued", "running").contains(state.getAttribute("data-state"))));
        }
    }

    /**
     * The live output panel of a running loop whose command prints {@code tick1}, sleeps, then
     * prints {@code tick2}: {@code tick1} shows in {@code #live-output}, from
     * {@code GET /v1/loops/{id}/output}, while the command still sleeps. The sleep is longer than
     * the API's test needs because a page load under load can take seconds.
     */
    @Test
    void tick1AppearsInTheLiveOutputPanelWhileTheCommandStillRunsBeforeTick2() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "").start();
             Browser browser = Browser.open(1280, 800)) {
            String loop = daemon.submit("retry-command",
                    "{\"command\":\"echo tick1; sleep 15; echo tick2\",\"check\":\"true\"}", 0);
            daemon.awaitState(loop, Duration.ofSeconds(20), "running");
            browser.get(url(daemon, "/#/loops/" + loop));
            browser.awaitAttribute(By.id("loop-state"), "data-state", "running");
            browser.awaitAttribute(By.id("live-output-status"), "data-state", "open");
            DaemonProcess.await(Duration.ofSeconds(10), "tick1 in the live output panel",
                    () -> browser.driver.findElement(By.id("live-output")).getText().contains("tick1"));
            assertThat(daemon.state(loop)).isEqualTo("running");
            assertThat(browser.driver.findElement(By.id("live-output")).getText()).doesNotContain("tick2");
        }
    }

    /**
     * The live output panel on its own, fed by a stand-in for {@code /v1/loops/{id}/output} in the
     * page, so that the server's timing cannot hide a fault of the panel: a chunk shows while its stream is still open, and
     * after a reconnect with {@code Last-Event-ID} a replay that overlaps what is shown adds only
     * the new bytes.
     */
    @Test
    void theLiveOutputPanelShowsChunksWhileTheStreamIsOpenAndNoByteTwiceAfterAReconnect() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "").start();
             Browser browser = Browser.open(800, 600)) {
            browser.get(url(daemon, "/"));
            browser.shown(By.cssSelector("h1"));
            Object answer = browser.driver.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const real = window.fetch.bind(window);
                    const asked = [];
                    let first = null;
                    window.outputActive = true;
                    window.fetch = (path, init) => {
                      if (!String(path).endsWith('/output')) return real(path, init);
                      asked.push(init.headers['Last-Event-ID'] ?? null);
                      const chunk = (id, stream, offset, text) =>
                        `id:${id}\\ndata:${JSON.stringify({ iteration: 1, stream, offset, text })}\\n\\n`;
                      if (asked.length === 1) {
                        const body = new ReadableStream({ start(controller) {
                          first = controller;
                          controller.enqueue(new TextEncoder().encode('retry:10\\n\\n' + chunk(1, 'stdout', 0, 'tick1\\n')));
                        } });
                        return Promise.resolve(new Response(body, { status: 200 }));
                      }
                      window.outputActive = false;
                      return Promise.resolve(new Response(chunk(2, 'stdout', 0, 'tick1\\ntick2\\n')
                        + chunk(3, 'stderr', 0, 'oops\\n'), { status: 200 }));
                    };
                    import('/ui/output.js').then(({ liveOutput }) => {
                      const box = document.createElement('div');
                      document.body.append(box);
                      liveOutput(box, 'L1', () => window.outputActive);
                      const text = () => box.querySelector('#live-output').textContent;
                      const status = () => box.querySelector('#live-output-status').textContent;
                      const until = (test, then) => {
                        const start = Date.now();
                        const poll = () => test() ? then()
                          : Date.now() - start > 10000 ? done('timed out at: ' + text() + ' / ' + status()) : setTimeout(poll, 20);
                        poll();
                      };
                      until(() => text().includes('tick1'), () => {
                        const whileOpen = text();
                        first.close();
                        until(() => status() === 'the loop has ended',
                          () => done(JSON.stringify({ whileOpen, after: text(), asked })));
                      });
                    }, error => done(String(error)));
                    """);
            JsonNode result = JSON.readTree(String.valueOf(answer));
            assertThat(result.get("whileOpen").asText()).as(String.valueOf(answer))
                    .isEqualTo("── iteration 1 ──\ntick1\n");
            assertThat(result.get("after").asText()).isEqualTo("── iteration 1 ──\ntick1\ntick2\noops\n");
            assertThat(result.get("asked").toString()).as("Last-Event-ID of each request").isEqualTo("[null,\"1\"]");
        }
    }

    /**
     * The page's own server-sent-events parser (it reads the stream with fetch, since EventSource
     * cannot send a token), in the browser: the same events whatever way the bytes are split.
     */
    @Test
    void theEventStreamParserGivesTheSameEventsWhereverTheStreamIsSplit() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(home, "").start();
             Browser browser = Browser.open(800, 600)) {
            browser.get(url(daemon, "/"));
            browser.shown(By.cssSelector("h1"));
            Object answer = browser.driver.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    import('/ui/sse.js').then(({ createParser }) => {
                      const text = ': hello\\r\\nretry:2000\\n\\nid:7\\nevent:loop\\ndata:{"a":1}\\n\\n'
                        + 'id: 8\\r\\nevent: reload\\r\\ndata: line one\\r\\ndata:line two\\r\\n\\r\\n'
                        + 'data:no name\\rid\\r\\r: keep-alive\\n\\ndata:half';
                      const runs = [];
                      for (let cut = 0; cut <= text.length; cut++) {
                        const events = [];
                        const retries = [];
                        const parser = createParser(e => events.push(e), ms => retries.push(ms));
                        parser.push(text.slice(0, cut));
                        parser.push(text.slice(cut));
                        runs.push(JSON.stringify({ events, retries }));
                      }
                      done(JSON.stringify({ first: JSON.parse(runs[0]), distinct: new Set(runs).size }));
                    }, error => done(String(error)));
                    """);
            JsonNode result = JSON.readTree(String.valueOf(answer));
            assertThat(result.get("distinct").asInt()).as(String.valueOf(answer)).isEqualTo(1);
            assertThat(result.get("first").get("retries").toString()).isEqualTo("[2000]");
            assertThat(result.get("first").get("events").toString()).isEqualTo("["
                    + "{\"id\":\"7\",\"event\":\"loop\",\"data\":\"{\\\"a\\\":1}\"},"
                    + "{\"id\":\"8\",\"event\":\"reload\",\"data\":\"line one\\nline two\"},"
                    + "{\"id\":\"\",\"event\":\"message\",\"data\":\"no name\"}]");
        }
    }

    private static By row(String loopId) {
        return By.cssSelector("tr[data-loop-id='" + loopId + "']");
    }

    private static String count(List<WebElement> links, String state) {
        return links.stream().filter(link -> state.equals(link.getDomAttribute("data-state")))
                .map(link -> link.findElement(By.className("count")).getText()).findFirst().orElse("");
    }

    private static String url(DaemonProcess daemon, String path) {
        return "http://127.0.0.1:" + daemon.port + path;
    }
}
