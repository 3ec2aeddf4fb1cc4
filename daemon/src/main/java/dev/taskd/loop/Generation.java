package dev.taskd.loop;

import dev.taskd.config.ConfigSnapshot;
import dev.taskd.template.Renderer;

/**
 * One applied configuration and what is built from it, numbered from 1 and +1 per applied
 * reload. Immutable: an iteration reads one generation for its whole duration.
 */
public record Generation(long number, ConfigSnapshot snapshot, Renderer renderer) {

    public static Generation first(ConfigSnapshot snapshot) {
        return new Generation(1, snapshot, new Renderer(snapshot.templates()));
    }
}
