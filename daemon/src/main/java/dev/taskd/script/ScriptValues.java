package dev.taskd.script;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * Conversions between Java and one script context's values. JSON is the bridge for structured
 * data: Java data becomes plain JS objects through {@code JSON.parse}, and JS data is copied out
 * through {@code JSON.stringify}, so nothing handed back to Java refers into the context after it
 * closes. The built-ins are captured before the script runs, so a script that replaces
 * {@code JSON} or {@code Error} does not change how the host converts. Used by one thread at a
 * time: made with its context (see {@link SpareContexts}), then used by the call.
 */
final class ScriptValues {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Source NEW_OBJECT =
            Source.newBuilder("js", "() => ({})", "taskd-values.js").buildLiteral();

    private final Value parse;
    private final Value stringify;
    private final Value errorType;
    private final Value newObject;

    ScriptValues(Context context) {
        Value bindings = context.getBindings("js");
        Value json = bindings.getMember("JSON");
        this.parse = json.getMember("parse");
        this.stringify = json.getMember("stringify");
        this.errorType = bindings.getMember("Error");
        this.newObject = context.eval(NEW_OBJECT);
    }

    /** {@code JSON.parse(text)} in the context; a malformed text throws the guest's SyntaxError. */
    Value parseJson(String text) {
        return parse.execute(text);
    }

    /** {@code JSON.stringify(value)}, or empty when there is no JSON for it (undefined, a function). */
    Optional<String> json(Value value) {
        Value text = stringify.execute(value);
        return text.isString() ? Optional.of(text.asString()) : Optional.empty();
    }

    /** Java maps, lists, strings, numbers and booleans as a plain JS value. */
    Value fromJava(Object data) {
        try {
            return parseJson(JSON.writeValueAsString(data));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot pass to a script: " + e.getOriginalMessage(), e);
        }
    }

    /** A fresh plain JS object with these members. */
    Value object(Map<String, ?> members) {
        Value object = newObject.execute();
        members.forEach(object::putMember);
        return object;
    }

    /** A JS object as a Java map, copied; undefined or null is an empty map. */
    Map<String, Object> toJavaMap(Value value, String what) {
        if (value == null || value.isNull()) {
            return Map.of();
        }
        String text = json(value).filter(json -> json.startsWith("{"))
                .orElseThrow(() -> error(what + " must be an object, was " + value));
        try {
            return JSON.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw error(what + " cannot be read: " + e.getOriginalMessage());
        }
    }

    /** A script value as text: strings as they are, undefined and null as "", anything else as JSON. */
    String text(Value value) {
        if (value == null || value.isNull()) {
            return "";
        }
        if (value.isString()) {
            return value.asString();
        }
        return json(value).orElseGet(value::toString);
    }

    /** A JS {@code Error} to throw from a host method, so the script can catch it and read {@code message}. */
    RuntimeException error(String message) {
        return errorType.newInstance(message).throwException();
    }
}
