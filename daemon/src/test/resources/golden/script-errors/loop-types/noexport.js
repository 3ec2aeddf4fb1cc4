export function iterat(ctx) {}
