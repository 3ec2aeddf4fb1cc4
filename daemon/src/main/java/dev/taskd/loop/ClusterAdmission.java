package dev.taskd.loop;

import dev.taskd.store.BrokenDependency;
import dev.taskd.store.Claim;
import dev.taskd.store.LoopFencedException;
import dev.taskd.store.LoopState;
import dev.taskd.store.NodeStatus;
import dev.taskd.store.PublishedGeneration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the loops of a node in a cluster come from: claimed in the shared database for this node
 * (whichever node they were submitted on) instead of taken from the node's own queue. Each claimed
 * loop's fence is held in the store before the claim is returned, so that
 * every write the runner makes for it is fenced.
 */
public interface ClusterAdmission {

    /** This node's name ({@code daemon.node}). */
    String node();

    /**
     * Claims queued loops for this node, within its limits ({@code max-loops} and {@code per-type}
     * hold per node); nothing while the node holds no lease.
     */
    List<Claim> claim(int maxLoops, Map<String, Integer> perType);

    /**
     * Queued loops that can never run: a loop they run {@code after} failed, was cancelled or does
     * not exist (whichever node ran it). Nothing while the node holds no lease.
     */
    List<BrokenDependency> brokenDependencies(int limit);

    /** A claimed loop's write was refused: another node owns the loop now, and this node dropped it. */
    void abandoned(String loopId, LoopFencedException refused);

    /** Loops by state across the cluster. */
    Map<LoopState, Long> counts();

    /** Every node of the cluster and its lease. */
    List<NodeStatus> nodes();

    /** The cluster's newest configuration generation (without its sources); empty before the first. */
    Optional<PublishedGeneration> configurationHead();
}
