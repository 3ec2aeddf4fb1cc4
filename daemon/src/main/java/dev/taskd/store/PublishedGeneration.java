package dev.taskd.store;

import java.time.Instant;

/**
 * A configuration generation as the cluster published it: its number (the cluster's), the hash of
 * its shared content, the sources as the reload package wrote them, and who published it, when
 * (the database's clock) and why.
 */
public record PublishedGeneration(long number, String hash, String sources, String publishedBy, Instant publishedAt,
                                  String trigger, String actor) {
}
