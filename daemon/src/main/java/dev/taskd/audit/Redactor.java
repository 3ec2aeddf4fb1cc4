package dev.taskd.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Removes secrets from an event before it is written anywhere. The rules, applied at every
 * depth, inside objects and arrays alike:
 *
 * <ol>
 *   <li>A <em>secret-like name</em> contains {@code key}, {@code token} or {@code secret}, in
 *       any case ({@code api-key-file}, {@code auth.token-file}, {@code clientSecret},
 *       {@code X_API_KEY}), except the names in {@link #NOT_SECRET}. For a dotted config key
 *       the whole key is checked, so a secret-like table name hides all its keys. This errs on
 *       the side of hiding: {@code loop-types.monkey.delay} is hidden too.
 *   <li>A <em>diff entry</em> is an object with a text field {@code key} and a field {@code old}
 *       or {@code new}. Its {@code key} holds a config key's name, never a secret, and stays
 *       readable. When that config key's name is secret-like, {@code old} and {@code new}
 *       become {@code "***"}; otherwise they are redacted by these same rules.
 *   <li>Any other field with a secret-like name has its value, whatever its shape, replaced by
 *       {@code "***"}.
 *   <li>A null value stays null: it tells only that nothing was set.
 * </ol>
 *
 * <p>Stateless and thread-safe; the input is never changed.
 */
public final class Redactor {

    /** What a redacted value becomes. */
    public static final String MASK = "***";

    /**
     * Names that look secret-like but are not: a loop type's LLM token budget, and the name of
     * the variable that holds a provider's key (its value stays in the environment).
     */
    static final Set<String> NOT_SECRET = Set.of("max-tokens", "api-key-env");

    private static final String[] SECRET_WORDS = {"key", "token", "secret"};

    private Redactor() {
    }

    /** A redacted deep copy of {@code event}. */
    public static ObjectNode redact(ObjectNode event) {
        return (ObjectNode) copy(event);
    }

    /** Whether a field or config key name is secret-like (rule 1). */
    public static boolean secretLike(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        String last = lower.substring(lower.lastIndexOf('.') + 1);
        if (NOT_SECRET.contains(last)) {
            lower = lower.substring(0, lower.length() - last.length());
        }
        for (String word : SECRET_WORDS) {
            if (lower.contains(word)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode copy(JsonNode node) {
        if (node instanceof ObjectNode object) {
            return copyObject(object);
        }
        if (node instanceof ArrayNode array) {
            ArrayNode out = array.arrayNode(array.size());
            array.forEach(element -> out.add(copy(element)));
            return out;
        }
        return node.deepCopy();
    }

    private static ObjectNode copyObject(ObjectNode object) {
        boolean diffEntry = object.get("key") instanceof TextNode && (object.has("old") || object.has("new"));
        boolean secretValues = diffEntry && secretLike(object.get("key").asText());
        ObjectNode out = object.objectNode();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            boolean hide = hides(name, diffEntry, secretValues);
            out.set(name, hide && !value.isNull() ? TextNode.valueOf(MASK) : copy(value));
        }
        return out;
    }

    private static boolean hides(String field, boolean diffEntry, boolean secretValues) {
        if (diffEntry && field.equals("key")) {
            return false;
        }
        if (secretValues && (field.equals("old") || field.equals("new"))) {
            return true;
        }
        return secretLike(field);
    }
}
