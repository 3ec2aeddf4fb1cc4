// Loaded and checked at start like any loop type's script; never run by the training.
export function iterate(ctx) {
  const counted = (ctx.state.counted ?? 0) + 1;
  ctx.state.counted = counted;
  ctx.log(ctx.prompt);
  if (counted >= Number(ctx.input("count"))) {
    ctx.complete(`counted to ${counted}`);
  }
}
