#!/usr/bin/env node
import { EXIT_UNEXPECTED, forwardEarly } from "./forwarding";
import { boundHeapGrowth, isOneShot, optimizeWasmLessEagerly } from "./one-shot";

/**
 * The `arbot` bin. When another process holds the embedded database and takes commands, the
 * command line goes to it before anything heavy loads (Prisma, Slack, CSV): a forwarded
 * command costs a connection, not a start. Otherwise the CLI runs here (cli-main.ts).
 */
async function run(argv: string[]): Promise<number> {
  const forwarded = await forwardEarly(argv);
  if (forwarded !== null) return forwarded;
  const { main } = await import("./cli-main");
  return main(argv);
}

// A server or the shell keeps V8's default WebAssembly tiering, which pays off over its life,
// and bounds how far its heap grows between full collections (one-shot.ts).
if (isOneShot(process.argv[2])) optimizeWasmLessEagerly();
else boundHeapGrowth();

run(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error) => {
    process.stderr.write(`arbot: ${(error as Error).stack ?? error}\n`);
    process.exitCode = EXIT_UNEXPECTED;
  },
);
