package dev.taskd.script;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * Builds the {@code ctx} object a script's {@code iterate} receives, in one call into the context:
 * the host methods are read off the {@link ScriptContextApi} and the data arrive as one JSON text.
 * Member by member from Java, the same object took about thirty polyglot calls per iteration.
 * The function is made when the context is, before any script runs, and holds on to the
 * original {@code JSON}, so a script that replaces {@code JSON} changes nothing here. Used by one
 * thread at a time: made with its context (on the housekeeping thread), then used by the call.
 */
final class CtxFactory {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Source FACTORY = Source.newBuilder("js", """
            (() => {
              const parse = JSON.parse, stringify = JSON.stringify;
              return {
                ctx: (api, dataJson, state) => {
                  const data = parse(dataJson);
                  return {
                    input: api.input, render: api.render, exec: api.exec, log: api.log,
                    complete: api.complete, fail: api.fail,
                    inputs: data.inputs, iteration: data.iteration, maxIterations: data.maxIterations,
                    prompt: data.prompt, state, progress: data.progress, previousOutput: data.previousOutput,
                    loopId: data.loopId, workdir: data.workdir,
                    fs: {read: api.read, write: api.write, list: api.list, exists: api.exists},
                    llm: {chat: api.chat},
                  };
                },
                stateJson: (ctx) => stringify(ctx.state),
              };
            })()
            """, "taskd-ctx.js").buildLiteral();

    private final Context context;
    private final Value ctx;
    private final Value stateJson;

    CtxFactory(Context context) {
        this.context = context;
        Value functions = context.eval(FACTORY);
        this.ctx = functions.getMember("ctx");
        this.stateJson = functions.getMember("stateJson");
    }

    /** The {@code ctx} of one call; {@code state} is the already parsed {@code ctx.state}. */
    Value ctx(ScriptContextApi api, ScriptInvocation invocation, Value state) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("inputs", invocation.loop().inputs());
        data.put("iteration", invocation.iteration().number());
        data.put("maxIterations", invocation.loop().maxIterations());
        data.put("prompt", invocation.iteration().prompt());
        data.put("progress", invocation.iteration().progress());
        data.put("previousOutput", invocation.iteration().previousOutput());
        data.put("loopId", invocation.loop().id());
        data.put("workdir", invocation.host().workdir().toString());
        String dataJson;
        try {
            dataJson = JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot pass to a script: " + e.getOriginalMessage(), e);
        }
        return ctx.execute(context.asValue(api), dataJson, state);
    }

    /**
     * {@code JSON.stringify(ctx.state)} as the script left it, or null when there is no JSON for
     * it (undefined, a function); throws the guest's error for a cycle or a BigInt.
     */
    String stateJson(Value ctx) {
        Value text = stateJson.execute(ctx);
        return text.isString() ? text.asString() : null;
    }
}
