package dev.taskd.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Typed reads of a config file through its rows of the key table. A value that is absent, or that
 * breaks its row's rule (already reported by {@link KeyChecker}), reads as the row's default, so
 * binding never fails and validation can go on to report everything else.
 */
final class TypedValues {

    private final Function<String, JsonNode> lookup;
    private final List<ConfigKey> rows;

    TypedValues(Function<String, JsonNode> lookup, List<ConfigKey> rows) {
        this.lookup = lookup;
        this.rows = rows;
    }

    String text(String path) {
        JsonNode value = value(path);
        return value == null ? "" : value.asText();
    }

    long whole(String path) {
        JsonNode value = value(path);
        return value == null ? 0 : value.asLong();
    }

    int integer(String path) {
        return Math.toIntExact(whole(path));
    }

    boolean flag(String path) {
        JsonNode value = value(path);
        return value != null && value.asBoolean();
    }

    double decimal(String path) {
        JsonNode value = value(path);
        return value == null ? 0 : value.asDouble();
    }

    Duration span(String path) {
        JsonNode value = value(path);
        return value == null ? Duration.ZERO : Durations.parse(value.asText()).orElse(Duration.ZERO);
    }

    long bytes(String path) {
        JsonNode value = value(path);
        return value == null ? 0 : ByteSizes.parse(value.asText()).orElse(0L);
    }

    List<String> texts(String path) {
        List<String> texts = new ArrayList<>();
        JsonNode value = value(path);
        if (value != null) {
            value.forEach(element -> texts.add(element.asText()));
        }
        return List.copyOf(texts);
    }

    List<Integer> integers(String path) {
        List<Integer> integers = new ArrayList<>();
        JsonNode value = value(path);
        if (value != null) {
            value.forEach(element -> integers.add(element.asInt()));
        }
        return List.copyOf(integers);
    }

    /** The members of a table whose keys the user names ({@code limits.per-type}), in file order. */
    Map<String, JsonNode> members(String path) {
        Map<String, JsonNode> members = new LinkedHashMap<>();
        JsonNode value = value(path);
        if (value != null) {
            value.properties().forEach(entry -> members.put(entry.getKey(), entry.getValue()));
        }
        return members;
    }

    /** The value at {@code path} when it obeys its rule, else the row's default (null if none). */
    JsonNode value(String path) {
        ConfigKey row = ConfigKeys.find(rows, path)
                .orElseThrow(() -> new IllegalArgumentException("no row in the key table for '" + path + "'"));
        JsonNode value = lookup.apply(path);
        return value != null && row.rule().accepts(value) ? value : row.defaultValue();
    }

    boolean isSet(String path) {
        return lookup.apply(path) != null;
    }
}
