export function iterate(ctx) {}
