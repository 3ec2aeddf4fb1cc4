// An agent turn loop: the model reads and edits files and runs commands through tools, all
// through ctx.fs and ctx.exec so the sandbox holds. The validation command, not the model,
// decides whether the loop succeeded.

const TOOLS = [
  tool("read_file", "Read a file in the work dir", { path: "string" }),
  tool("write_file", "Write a whole file in the work dir", { path: "string", content: "string" }),
  tool("edit_file", "Replace one exact occurrence of old with new in a file",
       { path: "string", old: "string", new: "string" }),
  tool("list_dir", "List a directory in the work dir", { path: "string" }),
  tool("run_command", "Run a shell command in the work dir", { command: "string" }),
];

function tool(name, description, params) {
  const properties = {};
  for (const [key, type] of Object.entries(params)) properties[key] = { type };
  return { name, description, parameters: { type: "object", properties, required: Object.keys(params) } };
}

function run(ctx, call) {
  const a = call.arguments;
  switch (call.name) {
    case "read_file": return ctx.fs.read(a.path);
    case "write_file": ctx.fs.write(a.path, a.content); return "written";
    case "edit_file": {
      const text = ctx.fs.read(a.path);
      const at = text.indexOf(a.old);
      if (at < 0) return "error: old text not found";
      if (text.indexOf(a.old, at + 1) >= 0) return "error: old text occurs more than once";
      ctx.fs.write(a.path, text.slice(0, at) + a.new + text.slice(at + a.old.length));
      return "edited";
    }
    case "list_dir": return ctx.fs.list(a.path).join("\n");
    case "run_command": {
      const r = ctx.exec(a.command, { timeout: "2m" });
      return `exit ${r.exitCode}\n${r.stdout}\n${r.stderr}`;
    }
    default: return `error: unknown tool ${call.name}`;
  }
}

export function iterate(ctx) {
  const messages = [{ role: "user", content: ctx.prompt }];
  const maxTurns = Number(ctx.input("max-turns"));
  for (let turn = 1; turn <= maxTurns; turn++) {
    const reply = ctx.llm.chat({ messages, tools: TOOLS });
    messages.push({ role: "assistant", content: reply.content, toolCalls: reply.toolCalls });
    if (reply.toolCalls.length === 0) return;
    for (const call of reply.toolCalls) {
      let result;
      try { result = String(run(ctx, call)); } catch (e) { result = `error: ${e.message ?? e}`; }
      messages.push({ role: "tool", toolCallId: call.id, content: result });
    }
  }
  ctx.log(`turn limit ${maxTurns} reached`);
}
