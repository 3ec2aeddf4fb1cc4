package dev.taskd.script;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskd.config.Durations;
import dev.taskd.llm.ChatRequest;
import dev.taskd.llm.ChatResponse;
import dev.taskd.llm.LlmException;
import dev.taskd.process.CommandRequest;
import dev.taskd.process.CommandResult;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * The host side of {@code ctx}: the methods a script calls. Only what is marked
 * {@link HostAccess.Export} is reachable from JS. Methods take {@link Value}s so that a script
 * passing the wrong kind of argument gets a JS {@code Error} naming the mistake rather than an
 * interop failure. Failures a script can handle are thrown as JS errors; {@code complete},
 * {@code fail} and an interrupted {@code exec} throw {@link ScriptEnd}, which JS cannot turn into
 * anything else: the ending is also remembered here, so a script that catches it still ends.
 * One per call of {@code iterate}, confined to its thread.
 */
public final class ScriptContextApi {

    private static final ObjectMapper CHAT_JSON = new ObjectMapper();

    private final ScriptInvocation invocation;
    private final ScriptValues values;
    private final WorkdirFiles files;
    private ScriptEnd ending;

    ScriptContextApi(ScriptInvocation invocation, ScriptValues values) {
        this.invocation = invocation;
        this.values = values;
        this.files = new WorkdirFiles(invocation.host().workdir());
    }

    /** The ending asked for by {@code complete}, {@code fail} or an interrupted {@code exec}, or null. */
    ScriptEnd ending() {
        return ending;
    }

    @HostAccess.Export
    public String input(Value... args) {
        return invocation.loop().inputs().get(stringArg(args, 0, "ctx.input(name)"));
    }

    @HostAccess.Export
    public String render(Value... args) {
        String name = stringArg(args, 0, "ctx.render(template, vars)");
        Map<String, Object> vars = values.toJavaMap(arg(args, 1), "ctx.render vars");
        try {
            return invocation.host().render().apply(name, vars);
        } catch (RuntimeException e) {
            throw values.error("ctx.render('" + name + "'): " + e.getMessage());
        }
    }

    @HostAccess.Export
    public Value exec(Value... args) {
        String command = stringArg(args, 0, "ctx.exec(command, options)");
        Map<String, Object> options = values.toJavaMap(arg(args, 1), "ctx.exec options");
        CommandRequest request = new CommandRequest(command, invocation.host().workdir(),
                environment(options.get("env")), options.get("stdin") == null ? "" : String.valueOf(options.get("stdin")),
                timeout(options.get("timeout")), null, invocation.loop().id());
        CommandResult result;
        try {
            result = invocation.host().commands().run(request, invocation.cancellation());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw end(new ScriptEnd(ScriptEnd.Kind.STOPPED, "interrupted while running '" + command + "'"));
        }
        if (invocation.cancellation().isCancelled()) {
            throw end(new ScriptEnd(ScriptEnd.Kind.STOPPED, "stopped while running '" + command + "'"));
        }
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("exitCode", result.exitCode());
        members.put("stdout", result.stdoutTail());
        members.put("stderr", result.stderrTail());
        return values.object(members);
    }

    @HostAccess.Export
    public void log(Value... args) {
        invocation.host().log().accept(args.length == 0 ? "undefined" : values.text(args[0]));
    }

    @HostAccess.Export
    public void complete(Value... args) {
        throw end(new ScriptEnd(ScriptEnd.Kind.COMPLETED, values.text(arg(args, 0))));
    }

    @HostAccess.Export
    public void fail(Value... args) {
        throw end(new ScriptEnd(ScriptEnd.Kind.FAILED, values.text(arg(args, 0))));
    }

    /**
     * {@code ctx.llm.chat({model, system, messages, tools, maxTokens, temperature})} →
     * {@code {content, toolCalls: [{id, name, arguments}], stopReason, usage: {input, output}}}.
     * A provider error is a JS error the script can catch; a stop (timeout, cancel) ends the script.
     */
    @HostAccess.Export
    public Value chat(Value... args) {
        ChatRequest request;
        try {
            request = CHAT_JSON.convertValue(values.toJavaMap(arg(args, 0), "ctx.llm.chat request"), ChatRequest.class);
        } catch (IllegalArgumentException e) {
            throw values.error("ctx.llm.chat: the request does not read as {model, system, messages, tools, maxTokens,"
                    + " temperature}: " + e.getMessage().lines().findFirst().orElse(""));
        }
        ChatResponse response;
        try {
            response = invocation.host().llm().chat(request, invocation.cancellation());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw end(new ScriptEnd(ScriptEnd.Kind.STOPPED, "interrupted during ctx.llm.chat"));
        } catch (LlmException e) {
            if (e.kind() == LlmException.Kind.CANCELLED || invocation.cancellation().isCancelled()) {
                throw end(new ScriptEnd(ScriptEnd.Kind.STOPPED, "stopped during ctx.llm.chat"));
            }
            throw values.error("ctx.llm.chat: " + e.getMessage());
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("content", response.content());
        reply.put("toolCalls", response.toolCalls().stream().map(call -> Map.of("id", call.id(), "name", call.name(),
                "arguments", call.arguments() == null ? Map.of() : CHAT_JSON.convertValue(call.arguments(), Object.class)))
                .toList());
        reply.put("stopReason", response.stopReason());
        reply.put("usage", Map.of("input", response.usage().input(), "output", response.usage().output()));
        return values.fromJava(reply);
    }

    @HostAccess.Export
    public String read(Value... args) {
        String path = stringArg(args, 0, "ctx.fs.read(path)");
        try {
            return files.read(path);
        } catch (IOException e) {
            throw values.error("ctx.fs.read: " + e.getMessage());
        }
    }

    @HostAccess.Export
    public void write(Value... args) {
        String path = stringArg(args, 0, "ctx.fs.write(path, text)");
        try {
            files.write(path, values.text(arg(args, 1)));
        } catch (IOException e) {
            throw values.error("ctx.fs.write: " + e.getMessage());
        }
    }

    @HostAccess.Export
    public Value list(Value... args) {
        String path = args.length == 0 ? "." : stringArg(args, 0, "ctx.fs.list(path)");
        try {
            return values.fromJava(files.list(path));
        } catch (IOException e) {
            throw values.error("ctx.fs.list: " + e.getMessage());
        }
    }

    @HostAccess.Export
    public boolean exists(Value... args) {
        String path = stringArg(args, 0, "ctx.fs.exists(path)");
        try {
            return files.exists(path);
        } catch (IOException e) {
            throw values.error("ctx.fs.exists: " + e.getMessage());
        }
    }

    private ScriptEnd end(ScriptEnd end) {
        if (ending == null) {
            ending = end;
        }
        return end;
    }

    private Duration timeout(Object option) {
        if (option == null) {
            return invocation.host().commandTimeout();
        }
        if (option instanceof Number millis && millis.doubleValue() > 0) {
            return Duration.ofMillis(millis.longValue());
        }
        return Durations.parse(String.valueOf(option)).filter(duration -> !duration.isZero())
                .orElseThrow(() -> values.error("ctx.exec: timeout '" + option
                        + "' is neither a duration like '30s' nor a positive number of milliseconds"));
    }

    private Map<String, String> environment(Object option) {
        if (option == null) {
            return Map.of();
        }
        if (!(option instanceof Map<?, ?> env)) {
            throw values.error("ctx.exec: env must be an object of names to values, was " + option);
        }
        Map<String, String> environment = new LinkedHashMap<>();
        env.forEach((name, value) -> environment.put(String.valueOf(name), String.valueOf(value)));
        return environment;
    }

    private static Value arg(Value[] args, int index) {
        return index < args.length ? args[index] : null;
    }

    private String stringArg(Value[] args, int index, String usage) {
        Value value = arg(args, index);
        if (value == null || !value.isString()) {
            throw values.error(usage + ": argument " + (index + 1) + " must be a string, was "
                    + (value == null ? "missing" : value.toString()));
        }
        return value.asString();
    }
}
