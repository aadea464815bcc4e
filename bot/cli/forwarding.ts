import path from "node:path";
import { CommandListener, ForwardedRequest, forwardCommand, HolderUnreachable, listenForCommands } from "../../adapters/db/command-socket";
import { parseDatabaseUrl } from "../../adapters/db/database-target";
import { DatabaseInUse, isAlive, readLockHolder } from "../../adapters/db/pglite-lock";
import { CliIo, processIo } from "./cli-io";

/** Exit status 1 (cli-errors.ts), without loading it. */
export const EXIT_UNEXPECTED = 1;

/**
 * While this process holds an embedded PGlite folder, other `arbot` processes forward their
 * command lines to it (adapters/db/command-socket.ts) instead of failing with "in use".
 */
export type RunCommandLine = (argv: string[], io: CliIo) => Promise<number>;

/** The variables arbot reads; nothing else of the client's environment crosses the socket. */
const FORWARDED_ENV = /^(AR_|SLACK_|ARBOT_|TEAMS_|MicrosoftApp)|^(DATABASE_URL|NODE_ENV|PORT)$/;

/** Commands that read standard input (the shell); the others never wait for it. */
const READS_STDIN = new Set(["shell", "start"]);

/** `serve` would start a second server on the holder; it stays "in use". */
function forwardable(argv: string[], env: Record<string, string | undefined>): boolean {
  const [name] = argv;
  if (!name || name === "serve" || name === "help" || name === "--help" || name === "-h") return false;
  if (name === "start") return !(env.SLACK_BOT_TOKEN?.trim() || env.MicrosoftAppId?.trim() || env.TEAMS_ALLOW_UNAUTHENTICATED === "1");
  return true;
}

/** File arguments are read by the holder, whose working folder differs: make them absolute. */
export function withAbsoluteFiles(argv: string[], cwd: string): string[] {
  if (argv[0] !== "import") return argv;
  const out = [...argv];
  let positional = 0;
  for (let k = 1; k < out.length; k++) {
    const arg = out[k]!;
    if (arg === "--date-format") {
      k++;
      continue;
    }
    if (arg.startsWith("-")) continue;
    positional++;
    if (positional === 2) out[k] = path.resolve(cwd, arg);
  }
  return out;
}

/** Starts taking forwarded commands for the PGlite folder this process holds (App.heldFolder). */
export async function serveForwardedCommands(dataDir: string | null, run: RunCommandLine, log: (line: string) => void): Promise<CommandListener | null> {
  if (!dataDir) return null;
  const listener = await listenForCommands(
    dataDir,
    (request: ForwardedRequest, io) =>
      run(request.argv, {
        out: io.out,
        err: io.err,
        // Progress is drawn on the client's terminal, if it has one.
        errIsTty: request.errIsTty === true,
        errRaw: io.errRaw,
        stdin: io.stdin,
        stdinIsTty: false,
        env: { ...request.env, DATABASE_URL: `pglite:${dataDir}` },
        signal: io.signal,
      }),
    log,
  ).catch((error: unknown) => {
    log(`arbot: other arbot commands cannot be forwarded to this process (${(error as Error).message}); they will find the database in use`);
    return null;
  });
  return listener;
}

/** Stops taking forwarded commands (waiting for those running), before the database closes. */
export async function stopForwarding(listener: CommandListener | null): Promise<void> {
  if (!listener) return;
  await listener.close();
}

/**
 * The folder is held by another process: run the command there when it takes forwarded
 * commands. Null when it does not (the caller reports "in use").
 */
export async function forwardToHolder(error: DatabaseInUse, argv: string[], io: CliIo): Promise<number | "unreachable" | "gone"> {
  if (!error.holder.socket || !forwardable(argv, io.env)) return "unreachable";
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(io.env)) if (value !== undefined && FORWARDED_ENV.test(key)) env[key] = value;
  env.DATABASE_URL = `pglite:${error.dataDir}`;
  try {
    const alive = () => isAlive(error.holder.pid);
    return await forwardCommand(
      error.holder.socket,
      alive,
      { argv: withAbsoluteFiles(argv, process.cwd()), env, errIsTty: io.errIsTty },
      { out: io.out, err: io.err, errRaw: io.errRaw, stdin: READS_STDIN.has(argv[0] ?? "") ? io.stdin : null },
    );
  } catch (failure) {
    // The holder stopped meanwhile: the folder is free, the caller runs the command itself.
    if (failure instanceof HolderUnreachable) return isAlive(error.holder.pid) ? "unreachable" : "gone";
    throw failure;
  }
}

/**
 * Before the CLI loads: when the embedded folder is held by another live process that takes
 * commands, forward the command line to it. Null when the command should run here (also
 * when anything about the folder is unclear: the CLI then reports it properly).
 */
export async function forwardEarly(argv: string[]): Promise<number | null> {
  const io = processIo();
  let dataDir: string | null;
  try {
    const target = parseDatabaseUrl(io.env.DATABASE_URL);
    dataDir = target.kind === "pglite" ? target.dataDir : null;
  } catch {
    return null;
  }
  if (!dataDir) return null;
  const holder = readLockHolder(dataDir);
  if (!holder?.socket || holder.pid === process.pid || !isAlive(holder.pid)) return null;
  // Ctrl-C ends this process as usual; the holder sees the connection close and stops the
  // command too (command-socket.ts). Say so first: the work was not running here.
  const interrupted = () => {
    io.err(
      argv[0] === "import"
        ? `arbot: stopped; the process holding the database (pid ${holder.pid}), which runs this import, writes no further batch of it (those written stay; running it again imports the rest)`
        : `arbot: stopped; the process holding the database (pid ${holder.pid}) runs this command: if it was still waiting its turn there it will not start, if it had started it finishes (a shell ends with its input)`,
    );
    process.kill(process.pid, "SIGINT");
  };
  process.once("SIGINT", interrupted);
  try {
    const outcome = await forwardToHolder(new DatabaseInUse(dataDir, holder), argv, io);
    return typeof outcome === "number" ? outcome : null;
  } finally {
    process.off("SIGINT", interrupted);
  }
}
