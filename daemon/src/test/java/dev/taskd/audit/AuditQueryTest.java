package dev.taskd.audit;

import static dev.taskd.audit.Events.T0;
import static dev.taskd.audit.Events.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Six reloads, one a minute from {@link Events#T0}: entry n has ts T0 + (n - 1) minutes. */
class AuditQueryTest {

    @TempDir
    Path dataDir;

    private AuditLog log;

    @BeforeEach
    void sixReloads() {
        log = AuditLog.open(dataDir, Events.steppingClock());
        reload("applied", "limits", "limits.max-loops");
        reload("rejected", "full", "daemon.listen");
        reload("applied", "loop-types", "loop-types.ralph.max-iterations");
        reload("applied", "loop-types", "loop-types.ralph2.delay", "templates.fix-tests");
        reload("failed", "templates", "templates.fix-tests");
        log.append("reload", json("{'result':'unchanged','scope':null,'changes':[]}"));
    }

    @AfterEach
    void close() {
        log.close();
    }

    private void reload(String result, String scope, String... keys) {
        var event = json("{'result':'" + result + "','scope':'" + scope + "'}");
        var changes = event.putArray("changes");
        for (String key : keys) {
            changes.addObject().put("key", key).put("old", "1").put("new", "2");
        }
        log.append("reload", event);
    }

    private List<Long> seqs(Instant since, Instant until, String result, String scope, String key, String type) {
        return seqs(AuditQuery.builder().since(since).until(until).result(result).scope(scope).key(key).type(type)
                .limit(100).build());
    }

    private List<Long> seqs(AuditQuery query) {
        return log.read(query).stream().map(e -> e.get("seq").asLong()).toList();
    }

    private static Instant minute(int n) {
        return T0.plus(Duration.ofMinutes(n));
    }

    @Test
    void noFiltersReadsEverythingInSeqOrder() {
        assertThat(seqs(AuditQuery.all())).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void sinceIsInclusiveAndUntilExclusive() {
        assertThat(seqs(minute(2), minute(4), null, null, null, null)).containsExactly(3L, 4L);
        assertThat(seqs(minute(4), null, null, null, null, null)).containsExactly(5L, 6L);
        assertThat(seqs(null, minute(1), null, null, null, null)).containsExactly(1L);
    }

    @Test
    void resultAndScopeMatchTopLevelFields() {
        assertThat(seqs(null, null, "applied", null, null, null)).containsExactly(1L, 3L, 4L);
        assertThat(seqs(null, null, null, "loop-types", null, null)).containsExactly(3L, 4L);
        assertThat(seqs(null, null, "unchanged", null, null, null)).containsExactly(6L);
    }

    @Test
    void keyMatchesAChangedKeyOrTheKeysUnderIt() {
        assertThat(seqs(null, null, null, null, "limits.max-loops", null)).containsExactly(1L);
        assertThat(seqs(null, null, null, null, "limits", null)).containsExactly(1L);
        assertThat(seqs(null, null, null, null, "limits.max", null)).as("whole segments only").isEmpty();
        assertThat(seqs(null, null, null, null, "templates.fix-tests", null)).containsExactly(4L, 5L);
        assertThat(seqs(null, null, null, null, "loop-types.ralph", null)).containsExactly(3L);
    }

    @Test
    void typeMatchesChangesOfThatLoopTypeOnly() {
        assertThat(seqs(null, null, null, null, null, "ralph")).containsExactly(3L);
        assertThat(seqs(null, null, null, null, null, "ralph2")).containsExactly(4L);
        assertThat(seqs(null, null, null, null, null, "fix-tests")).isEmpty();
    }

    @Test
    void filtersCombine() {
        assertThat(seqs(minute(3), null, "applied", "loop-types", "templates", "ralph2")).containsExactly(4L);
        assertThat(seqs(minute(4), null, "applied", null, null, null)).isEmpty();
    }

    @Test
    void pagesFollowEachOtherBySeq() {
        AuditQuery first = AuditQuery.builder().limit(2).build();
        assertThat(seqs(first)).containsExactly(1L, 2L);
        assertThat(seqs(first.after(2))).containsExactly(3L, 4L);
        assertThat(seqs(first.after(4))).containsExactly(5L, 6L);
        assertThat(seqs(first.after(6))).isEmpty();
    }

    @Test
    void pagesOfAFilteredQuerySkipWhatDoesNotMatch() {
        AuditQuery applied = AuditQuery.builder().result("applied").limit(2).build();
        List<JsonNode> page = log.read(applied);
        assertThat(page).extracting(e -> e.get("seq").asLong()).containsExactly(1L, 3L);
        assertThat(seqs(applied.after(page.getLast().get("seq").asLong()))).containsExactly(4L);
    }

    @Test
    void limitMustBePositive() {
        assertThatThrownBy(() -> AuditQuery.builder().limit(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("limit must be at least 1, got 0");
    }
}
