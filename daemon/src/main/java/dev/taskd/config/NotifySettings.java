package dev.taskd.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskd.source.ContentHash;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * One {@code [notify.NAME]} of taskd.toml: a webhook that is POSTed the events it names.
 * Immutable. The HMAC key is not here: only the name of the environment variable that holds it,
 * read when a delivery is signed, so no snapshot, diff or audit entry can hold it.
 *
 * @param events    notification event names, each one of {@link #EVENTS}
 * @param types     loop types whose loop events it gets; empty for all
 * @param secretEnv environment variable of the HMAC key; "" for unsigned deliveries
 */
public record NotifySettings(String name, URI url, List<String> events, List<String> types, String secretEnv) {

    /**
     * Every notification event name. A loop event is {@code loop.} and the state a loop ended its
     * run in, or the rest of the loop event's name ({@code loop_submitted} is {@code loop.submitted});
     * a reload is {@code reload.} and its result. {@code loop.awaiting_approval} is named here
     * before any loop can reach it, so that a configuration may subscribe to it already.
     */
    public static final List<String> EVENTS = List.of("loop.submitted", "loop.started", "loop.succeeded",
            "loop.failed", "loop.cancelled", "loop.paused", "loop.awaiting_approval", "loop.blocked",
            "loop.unblocked", "loop.error", "reload.applied", "reload.rejected", "reload.failed", "reload.planned");

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    public NotifySettings {
        events = List.copyOf(events);
        types = List.copyOf(types);
    }

    /** Whether it takes an event of this name about a loop of {@code type} (null: not about a loop, or unknown). */
    public boolean wants(String event, String type) {
        return events.contains(event) && (types.isEmpty() || type == null || types.contains(type));
    }

    /**
     * The URL as shown anywhere but the request itself: scheme, host and port, and a short hash
     * of the rest, because webhook URLs often carry their credential in the path or query
     * (Slack's do). Two URLs that differ anywhere show differently.
     */
    public String shownUrl() {
        return shown(url);
    }

    static String shown(URI url) {
        String rest = url.toString().substring(url.getScheme().length() + 3 + url.getRawAuthority().length());
        String origin = url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
        boolean userInfo = url.getRawUserInfo() != null;
        return rest.isEmpty() && !userInfo ? origin
                : origin + "/... (sha256:" + TomlText.shortHash(ContentHash.of(url.toString())) + ")";
    }

    static Map<String, NotifySettings> bind(TypedValues values) {
        Map<String, NotifySettings> targets = new LinkedHashMap<>();
        values.members("notify").keySet().stream().filter(name -> !name.contains(".")).forEach(name -> {
            String prefix = "notify." + name + ".";
            URI url = uri(values.text(prefix + "url"));
            if (url != null) {
                targets.put(name, new NotifySettings(name, url, values.texts(prefix + "events"),
                        values.texts(prefix + "types"), values.text(prefix + "secret-env")));
            }
        });
        return targets;
    }

    /** What the key table cannot say: a usable URL, known event names, known loop types (a warning). */
    static void check(TomlDocument document, Map<String, LoopType> loopTypes, List<Finding> findings) {
        String file = document.source().display();
        for (String name : document.tree().path("notify").properties().stream().map(Map.Entry::getKey).toList()) {
            String prefix = "notify." + name;
            if (!NAME.matcher(name).matches()) {
                findings.add(Finding.error(file, document.positionOf(prefix), "notify name '" + name
                        + "' must be lower-case letters, digits, '-' or '_'", "rename the table"));
            }
            if (document.get(prefix + ".url") != null && uri(document.get(prefix + ".url").asText()) == null) {
                findings.add(Finding.error(file, document.positionOf(prefix + ".url"), prefix
                        + ".url is not an http:// or https:// URL with a host", "write it like"
                        + " \"https://hooks.example.com/taskd\""));
            }
            int i = 0;
            for (String event : texts(document, prefix + ".events")) {
                if (!EVENTS.contains(event)) {
                    String hint = DidYouMean.hint(event, EVENTS);
                    findings.add(Finding.error(file, document.positionOf(prefix + ".events[" + i + "]"), prefix
                            + ".events names '" + event + "', which is not an event",
                            hint.isEmpty() ? "one of " + String.join(", ", EVENTS) : hint));
                }
                i++;
            }
            i = 0;
            for (String type : texts(document, prefix + ".types")) {
                if (!loopTypes.containsKey(type)) {
                    findings.add(Finding.warning(file, document.positionOf(prefix + ".types[" + i + "]"), prefix
                            + ".types names '" + type + "', which is not a loop type (yet)",
                            DidYouMean.hint(type, loopTypes.keySet())));
                }
                i++;
            }
        }
    }

    /** Adds this target's effective keys ({@code notify.NAME.KEY}), its URL as {@link #shownUrl} shows it. */
    void effectiveKeys(BiConsumer<String, String> keys) {
        String prefix = "notify." + name + ".";
        keys.accept(prefix + "url", TomlText.quote(shownUrl()));
        keys.accept(prefix + "events", TomlText.array(events.stream().map(TomlText::quote).toList()));
        keys.accept(prefix + "types", TomlText.array(types.stream().map(TomlText::quote).toList()));
        keys.accept(prefix + "secret-env", TomlText.quote(secretEnv));
    }

    private static List<String> texts(TomlDocument document, String path) {
        JsonNode value = document.get(path);
        if (value == null || !value.isArray()) {
            return List.of();
        }
        List<String> texts = new ArrayList<>();
        value.forEach(element -> texts.add(element.asText()));
        return texts;
    }

    private static URI uri(String text) {
        try {
            URI url = new URI(text);
            boolean web = "http".equals(url.getScheme()) || "https".equals(url.getScheme());
            return web && url.getHost() != null ? url : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
