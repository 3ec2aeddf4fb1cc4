while (true) {}
export function iterate(ctx) {}
