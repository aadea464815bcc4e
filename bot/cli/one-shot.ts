import v8 from "node:v8";

/** The commands that keep their process running: a server, the shell (`start` is one or the other). */
const LONG_LIVED = new Set(["serve", "start", "shell"]);

/** Whether `arbot <command>` does its work and exits, as every command but a server and the shell does. */
export function isOneShot(command: string | undefined): boolean {
  return !LONG_LIVED.has(command ?? "");
}

/**
 * V8 runs WebAssembly (PGlite's PostgreSQL, Prisma's query compiler) with quickly compiled code
 * and recompiles a function with its optimizing compiler, in a background thread, once it has
 * run for a budget. With the default budget, `arbot stats` on a small PGlite folder set off 128
 * recompilations, some of PostgreSQL's largest functions among them: 250–300 ms of CPU taken
 * from the command's own work on a 2-core machine, mostly finished after that work, and a
 * process waits for them before it exits. With a budget 1 100 times larger none is, and only
 * functions that run for seconds are recompiled. Measured on PGlite at 10 000 accounts:
 * `arbot stats` and `arbot digest` take 20–25% less CPU and no more time, a new import of
 * 85 000 invoices and 59 000 payments 5–8% less CPU in the same time (within the noise). It
 * must run before any WebAssembly module is compiled; it changes when code is optimized,
 * never what the code computes.
 */
export function optimizeWasmLessEagerly(): void {
  if (!measuredHere()) return;
  v8.setFlagsFromString("--wasm-tiering-budget=2000000000");
}

/**
 * Whether this is the V8 the flags here were measured on (Node 20's), which knows them. A V8
 * that did not would print an error on every command's stderr, so another Node keeps V8's
 * defaults until measured there.
 */
function measuredHere(): boolean {
  return process.versions.node.split(".")[0] === "20";
}

/**
 * A server or the shell lets V8's old generation grow to twice what survived its last full
 * collection before collecting again. V8's own factor rises towards 4 while requests keep the
 * process busy, so the peak followed the length of a load rather than what it holds: at
 * 50 000 accounts the server's live heap stays about 63 MB (a cached digest included), yet
 * three rounds of the bench's Slack bursts took its peak RSS to 262–312 MB with V8's factor
 * (twenty runs) and to 252–272 MB with this one (eleven), at the same CPU per request and reply
 * times. A factor of 1.5 held it at 213–236 MB but cost the bursts of 20 requests more CPU.
 * Unlike a cap on the heap (`--max-old-space-size`), it never refuses memory the work needs;
 * it changes when the collector runs, never what the code computes.
 */
export function boundHeapGrowth(): void {
  if (!measuredHere()) return;
  v8.setFlagsFromString("--heap-growing-percent=100");
}
