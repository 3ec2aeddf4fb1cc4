package dev.taskd.llm;

import java.net.URI;

/**
 * Where one call goes, fixed at its start: retries reuse it, so a key or endpoint changed by a
 * reload applies from the next call, never half-way through one.
 *
 * @param key the API key, or "" for a server that needs none
 */
record Route(String provider, String model, ProviderClient client, URI endpoint, String key) {

    /** {@code provider/model}, for messages. */
    String label() {
        return provider + "/" + model;
    }
}
