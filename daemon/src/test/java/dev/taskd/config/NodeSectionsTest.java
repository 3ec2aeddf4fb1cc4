package dev.taskd.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What of taskd.toml a node shares with the cluster, and how it lays a published text over its own. */
class NodeSectionsTest {

    private static final String NODE_A = """
            # taskd on node a
            daemon.node = "a"
            [daemon]
            listen = "127.0.0.1:7071"
            data-dir = "../a-data"

            [limits]
            max-loops = 10
            per-type = { ralph = 2 }

            [storage]
            backend = "postgres"
            url = "jdbc:postgresql://db/taskd"

            [loops]
            paths = [
                "../loop-types",
            ]
            [cluster]
            lease = "10s"
            """;

    private static final String NODE_B = """
            [daemon]
            node = "b"
            listen = "127.0.0.1:7072"
            [storage]
            backend = "postgres"
            """;

    @Test
    void sharedTextHasNoNodeLocalSectionsOrKeys() {
        String shared = NodeSections.shared(NODE_A);

        assertThat(shared).contains("[limits]", "max-loops = 10", "per-type = { ralph = 2 }", "[loops]",
                "\"../loop-types\",", "# taskd on node a");
        assertThat(shared).doesNotContain("daemon", "listen", "storage", "postgres", "[cluster]", "lease");
    }

    @Test
    void composingKeepsThisNodesSectionsAndSharesTheRest() {
        String composed = NodeSections.compose(NodeSections.shared(NODE_A), NODE_B);

        assertThat(composed).contains("node = \"b\"", "listen = \"127.0.0.1:7072\"", "max-loops = 10", "[loops]");
        assertThat(composed).doesNotContain("7071", "a-data", "lease");
        assertThat(NodeSections.shared(composed)).as("sharing a composed text gives the published one back")
                .isEqualTo(NodeSections.shared(NODE_A));
    }

    @Test
    void topLevelDottedNodeKeysStayAboveTheFirstTable() {
        String composed = NodeSections.compose("[limits]\nmax-loops = 3\n", "daemon.node = \"c\"\n[storage]\nbackend = \"postgres\"\n");

        assertThat(composed).isEqualTo("daemon.node = \"c\"\n[limits]\nmax-loops = 3\n[storage]\nbackend = \"postgres\"\n");
    }

    @Test
    void headerLikeLinesInsideMultiLineStringsDoNotSwitchTables() {
        String toml = "[limits]\nmax-loops = 1\n[llm.providers.x]\nnote = \"\"\"\n[daemon]\n\"\"\"\nkind = \"openai\"\n";

        assertThat(NodeSections.shared(toml)).isEqualTo(toml);
    }
}
