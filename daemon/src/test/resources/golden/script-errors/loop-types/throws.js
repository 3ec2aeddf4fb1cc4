const limit = 3;

throw new Error("not configured");
export function iterate(ctx) {}
