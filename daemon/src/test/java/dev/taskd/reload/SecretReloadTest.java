package dev.taskd.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.audit.AuditLog;
import dev.taskd.audit.AuditQuery;
import dev.taskd.concurrent.Limiter;
import dev.taskd.config.Change;
import dev.taskd.config.ConfigLoader;
import dev.taskd.config.LoadCache;
import dev.taskd.config.Secrets;
import dev.taskd.loop.Generation;
import dev.taskd.loop.LoopEngine;
import dev.taskd.process.ShellCommands;
import dev.taskd.script.GraalScriptCheck;
import dev.taskd.script.ScriptRunner;
import dev.taskd.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token file as a reload input: fingerprinted, applied, audited and snapshotted without its content. */
class SecretReloadTest {

    private static final String CONFIG = "[auth]\ntoken-file = \"../secrets/tokens\"\n";

    @TempDir
    Path root;

    private Store store;
    private AuditLog audit;
    private AtomicReference<Generation> current;
    private HotReloadManager manager;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(root.resolve("loop-types"));
        Files.createDirectories(root.resolve("templates"));
        write("config/taskd.toml", CONFIG);
        write("secrets/tokens", "token-alpha\n");
        current = new AtomicReference<>(Generation.first(new ConfigLoader(root, new GraalScriptCheck())
                .load(root.resolve("config/taskd.toml")).snapshot().orElseThrow()));
        store = Store.open(root.resolve("data"));
        audit = AuditLog.open(root.resolve("data"));
        LoopEngine engine = new LoopEngine(store, current::get, number -> java.util.Optional.empty(), new ShellCommands(new Limiter(() -> 2)),
                new ScriptRunner(), dev.taskd.script.LlmCalls.NONE, event -> { }, dev.taskd.loop.LoopDirs.local(root.resolve("data")));
        GenerationHistory history = GenerationHistory.open(root.resolve("data"), store, root, new GraalScriptCheck());
        current.set(history.begin(current.get().snapshot(), audit, 50));
        manager = new HotReloadManager(root.resolve("config/taskd.toml"), root, new GraalScriptCheck(), new LoadCache(),
                current, engine, List.of(), history, audit, event -> { }, pending -> { }, () -> false);
    }

    @AfterEach
    void close() {
        store.close();
        audit.close();
    }

    @Test
    void theDiskFingerprintCoversTheTokenFilesContent() throws Exception {
        String before = manager.diskFingerprint();

        write("secrets/tokens", "token-beta\n");

        assertThat(manager.diskFingerprint()).isNotEqualTo(before);
    }

    @Test
    void aRotatedTokenFileIsAppliedAndAuditedAndSnapshottedWithoutItsTokens() throws Exception {
        write("secrets/tokens", "token-beta\n");

        ReloadEvent event = manager.reload(ReloadTrigger.API, "");

        assertThat(event.result()).isInstanceOf(ReloadResult.Applied.class);
        assertThat(event.diff()).extracting(Change::key).containsExactly("auth.tokens");
        assertThat(accepts("token-beta")).isTrue();
        assertThat(accepts("token-alpha")).isFalse();
        assertThat(audit.read(AuditQuery.all()).getLast().toString()).contains("auth.tokens")
                .doesNotContain("token-alpha", "token-beta");
        assertThat(storedText()).doesNotContain("token-alpha", "token-beta");
    }

    @Test
    void aRollbackKeepsTheTokensTheFileHoldsNow() throws Exception {
        write("config/taskd.toml", CONFIG + "[limits]\nmax-loops = 9\n");
        manager.reload(ReloadTrigger.CLI, "");
        write("secrets/tokens", "token-beta\n");
        manager.reload(ReloadTrigger.CLI, "");

        ReloadEvent rollback = manager.rollback(Optional.of(1L), ReloadTrigger.CLI, "", PlanExpectation.NONE);

        assertThat(rollback.result()).isInstanceOf(ReloadResult.Applied.class);
        assertThat(rollback.diff()).extracting(Change::key).containsExactly("limits.max-loops");
        assertThat(current.get().snapshot().config().limits().maxLoops()).isEqualTo(1000);
        assertThat(accepts("token-beta")).isTrue();
        assertThat(accepts("token-alpha")).isFalse();
    }

    @Test
    void aTokenFileThatGoesMissingIsRejectedAndTheTokensInForceStay() throws Exception {
        Files.delete(root.resolve("secrets/tokens"));

        ReloadEvent event = manager.reload(ReloadTrigger.API, "");

        assertThat(event.result()).isInstanceOfSatisfying(ReloadResult.Rejected.class, rejected ->
                assertThat(rejected.findings().getFirst().toString()).startsWith(
                        "config/taskd.toml:2:1: auth.token-file names secrets/tokens, which does not exist;"));
        assertThat(accepts("token-alpha")).isTrue();
    }

    private boolean accepts(String token) {
        return current.get().snapshot().secrets().acceptsToken(Secrets.digest(token));
    }

    private String storedText() throws Exception {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(root.resolve("data/snapshots"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                text.append(Files.readString(file));
            }
        }
        return text.toString();
    }

    private void write(String relative, String content) throws Exception {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
