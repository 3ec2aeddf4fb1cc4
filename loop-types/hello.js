// Counts one number per iteration and completes when it reaches the input `count`.
// The count lives in ctx.state, so it survives a daemon restart.
export function iterate(ctx) {
  const target = Number(ctx.input("count"));
  const counted = (ctx.state.counted ?? 0) + 1;
  ctx.state.counted = counted;
  ctx.log(ctx.prompt);
  if (counted >= target) {
    ctx.complete(`counted to ${counted}`);
  }
}
