package dev.taskd.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskd.config.Durations;
import dev.taskd.config.TaskdConfig;
import dev.taskd.loop.ClusterAdmission;
import dev.taskd.loop.LoopEngine;
import dev.taskd.store.NodeStatus;
import dev.taskd.store.PublishedGeneration;
import dev.taskd.store.StorageHealth;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code GET /v1/status}: version, uptime, generation, drain state, loops by state, limits, storage,
 * and on PostgreSQL the cluster's nodes.
 */
final class StatusService implements HttpService {

    private final DaemonStatus daemon;
    private final LoopEngine engine;

    StatusService(DaemonStatus daemon, LoopEngine engine) {
        this.daemon = daemon;
        this.engine = engine;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/status", this::status).any("/status", Allow.only("GET"));
    }

    private void status(ServerRequest request, ServerResponse response) {
        ObjectNode status = ApiJson.object()
                .put("version", daemon.version())
                .put("uptime_seconds", Duration.between(daemon.startedAt(), Instant.now()).toSeconds())
                .put("generation", daemon.generation().number())
                .put("config_hash", daemon.generation().snapshot().hash())
                .put("drift", daemon.drift())
                .put("reload_apply", daemon.generation().snapshot().config().reload().apply().name()
                        .toLowerCase(Locale.ROOT))
                .put("pending", daemon.pendingPlan().map(pending -> pending.plan().summary()).orElse(null))
                .put("draining", daemon.draining());
        ObjectNode loops = status.putObject("loops");
        engine.counts().forEach((state, count) -> loops.put(state.name().toLowerCase(Locale.ROOT), count));
        TaskdConfig.Limits limits = daemon.generation().snapshot().config().limits();
        ObjectNode inUse = status.putObject("limits")
                .put("max_loops", limits.maxLoops())
                .put("max_queued", limits.maxQueued())
                .put("max_processes", limits.maxProcesses())
                .put("max_api_calls", limits.maxApiCalls())
                .put("api_calls_per_minute", limits.apiCallsPerMinute())
                .put("drain_timeout", Durations.format(limits.drainTimeout()));
        ObjectNode perType = inUse.putObject("per_type");
        limits.perType().forEach(perType::put);
        status.put("running", engine.runningCount()).put("queued", engine.queuedCount());
        StorageHealth.Status storage = daemon.storage();
        ObjectNode written = status.putObject("storage")
                .put("writable", storage.writable())
                .put("free_bytes", storage.freeBytes())
                .put("since", storage.since().toString());
        if (storage.writable()) {
            written.putNull("reason");
        } else {
            written.put("reason", storage.reason());
        }
        engine.cluster().ifPresent(cluster -> clusterStatus(status.putObject("cluster"), cluster));
        Responses.json(response, 200, status);
    }

    /**
     * This node's name, the cluster's configuration head, and every node with its lease (on the
     * database's clock), running loops, the generation it applied or last rejected, and drift: a
     * node runs another generation than the head, or rejected it.
     */
    private static void clusterStatus(ObjectNode out, ClusterAdmission cluster) {
        out.put("node", cluster.node());
        Optional<PublishedGeneration> published = cluster.configurationHead();
        OptionalLong head = published.map(p -> OptionalLong.of(p.number())).orElse(OptionalLong.empty());
        out.put("head_generation", published.map(PublishedGeneration::number).orElse(null))
                .put("head_published_by", published.map(PublishedGeneration::publishedBy).orElse(null))
                .put("head_published_at", published.map(p -> p.publishedAt().toString()).orElse(null));
        boolean drift = false;
        ArrayNode nodes = out.putArray("nodes");
        for (NodeStatus node : cluster.nodes()) {
            boolean lags = head.isPresent() && (!Objects.equals(node.appliedGeneration(), head.getAsLong())
                    || Objects.equals(node.rejectedGeneration(), head.getAsLong()));
            drift |= lags && node.live();
            ObjectNode shown = nodes.addObject().put("name", node.name()).put("incarnation", node.incarnation())
                    .put("live", node.live()).put("lease_until", node.leaseUntil().toString())
                    .put("renewed_at", node.renewedAt().toString()).put("running", node.running())
                    .put("draining", node.draining()).put("applied_generation", node.appliedGeneration())
                    .put("applied_at", node.appliedAt() == null ? null : node.appliedAt().toString())
                    .put("rejected_generation", node.rejectedGeneration()).put("last_error", node.lastError())
                    .put("drift", lags);
        }
        out.put("drift", drift);
    }
}
