const System = Java.type("java.lang.System");
export function iterate(ctx) {}
