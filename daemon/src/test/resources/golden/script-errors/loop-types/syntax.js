// a script with a syntax error on line 3
export function iterate(ctx) {
  const x = ;
}
