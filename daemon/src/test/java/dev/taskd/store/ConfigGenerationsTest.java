package dev.taskd.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster's configuration generations and each node's acknowledgement, on a real PostgreSQL. */
class ConfigGenerationsTest {

    private static final Duration LONG = Duration.ofMinutes(5);

    @TempDir
    Path dataDir;

    Store store;
    ClusterStore cluster;

    @BeforeEach
    void open() {
        PostgresTarget db = PostgresServer.shared().newDatabase("generations");
        store = Store.open(db, dataDir);
        cluster = ClusterStore.open(db);
    }

    @AfterEach
    void close() {
        cluster.close();
        store.close();
    }

    @Test
    void publishingNumbersGenerationsAndContentIdenticalToTheHeadIsANoOp() {
        assertThat(cluster.head()).isEmpty();

        Publication first = cluster.publish(0, "h1", "{\"s\":1}", "a", "start", "", 50);
        Publication again = cluster.publish(1, "h1", "{\"s\":1}", "b", "watch", "", 50);
        Publication second = cluster.publish(1, "h2", "{\"s\":2}", "b", "api", "token-1", 50);

        assertThat(first).isEqualTo(new Publication(1, true));
        assertThat(again).as("same content as the head: nothing written").isEqualTo(new Publication(1, false));
        assertThat(second).isEqualTo(new Publication(2, true));
        PublishedGeneration head = cluster.head().orElseThrow();
        assertThat(head.number()).isEqualTo(2);
        assertThat(head.hash()).isEqualTo("h2");
        assertThat(head.publishedBy()).isEqualTo("b");
        assertThat(cluster.generation(2).orElseThrow().sources()).isEqualTo("{\"s\":2}");
        assertThat(cluster.generation(2).orElseThrow().actor()).isEqualTo("token-1");
        assertThat(cluster.generation(1).orElseThrow().trigger()).isEqualTo("start");
    }

    @Test
    void aRollbackPublishesOldContentAsANewHead() {
        cluster.publish(0, "h1", "{}", "a", "start", "", 50);
        cluster.publish(1, "h2", "{}", "a", "watch", "", 50);

        assertThat(cluster.publish(2, "h1", "{}", "a", "api", "", 50)).isEqualTo(new Publication(3, true));
    }

    @Test
    void aChangeCheckedAgainstAnOlderHeadIsRefusedAndNothingIsPublished() {
        cluster.publish(0, "h1", "{}", "a", "start", "", 50);
        cluster.publish(1, "h2", "{}", "b", "watch", "", 50);

        assertThatThrownBy(() -> cluster.publish(1, "h3", "{}", "c", "watch", "", 50))
                .isInstanceOf(HeadMovedException.class)
                .hasMessageContaining("moved to generation 2 (published by node b)")
                .hasMessageContaining("reload again");
        assertThatThrownBy(() -> cluster.publish(0, "h3", "{}", "c", "start", "", 50))
                .as("a node that runs none of the cluster's generations never overrides its head")
                .isInstanceOf(HeadMovedException.class);
        assertThat(cluster.head().orElseThrow().number()).isEqualTo(2);
    }

    @Test
    void concurrentPublishesOfTheSameContentPublishOnce() throws Exception {
        cluster.publish(0, "h1", "{}", "a", "start", "", 50);
        List<CompletableFuture<Publication>> racing = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String node = "n" + i;
            racing.add(CompletableFuture.supplyAsync(() -> cluster.publish(1, "h2", "{}", node, "watch", "", 50)));
        }

        List<Publication> done = racing.stream().map(CompletableFuture::join).toList();

        assertThat(done).extracting(Publication::number).containsOnly(2L);
        assertThat(done).filteredOn(Publication::published).hasSize(1);
    }

    @Test
    void onlyTheNewestGenerationsAreKept() {
        cluster.publish(0, "h1", "{}", "a", "start", "", 2);
        cluster.publish(1, "h2", "{}", "a", "watch", "", 2);
        cluster.publish(2, "h3", "{}", "a", "watch", "", 2);

        assertThat(cluster.generation(1)).isEmpty();
        assertThat(cluster.generation(2)).isPresent();
        assertThat(cluster.generation(3)).isPresent();
    }

    @Test
    void aNodesAcknowledgementAndRejectionShowInTheNodeList() {
        Membership alpha = cluster.join("alpha", LONG);
        Membership beta = cluster.join("beta", LONG);
        assertThat(cluster.nodes()).allSatisfy(node -> assertThat(node.appliedGeneration()).isNull());

        assertThat(cluster.acknowledge(alpha, 2, null, null, false)).isTrue();
        assertThat(cluster.acknowledge(beta, 1, 2L, "generation 2 rejected: taskd.toml:3:1: ...", true)).isTrue();

        NodeStatus a = cluster.nodes().get(0);
        NodeStatus b = cluster.nodes().get(1);
        assertThat(a.appliedGeneration()).isEqualTo(2);
        assertThat(a.appliedAt()).isNotNull();
        assertThat(a.rejectedGeneration()).isNull();
        assertThat(a.lastError()).isNull();
        assertThat(b.appliedGeneration()).isEqualTo(1);
        assertThat(b.rejectedGeneration()).isEqualTo(2);
        assertThat(b.lastError()).contains("taskd.toml:3:1");
        assertThat(b.draining()).isTrue();
        cluster.leave(beta);
        assertThat(cluster.acknowledge(beta, 1, null, null, false)).as("a node that left has no row").isFalse();
    }
}
