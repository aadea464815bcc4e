import { startApp } from "../main";
import { classify, EXIT, UsageError } from "./cli-errors";
import { CliIo, processIo } from "./cli-io";
import { closestWord } from "../commands/closest-word";
import { CliCommand, CliContext } from "./command";
import { forwardToHolder, serveForwardedCommands, stopForwarding } from "./forwarding";
import { isOneShot } from "./one-shot";
import { DatabaseInUse } from "../../adapters/db/pglite-lock";
import { CHAT_COMMANDS } from "./commands/chat";
import { digestCommand } from "./commands/digest";
import { escalateCommand } from "./commands/escalate";
import { sweepCommand } from "./commands/sweep";
import { importCommand } from "./commands/import";
import { serveCommand } from "./commands/serve";
import { migrateCommand } from "./commands/migrate";
import { seedCommand } from "./commands/seed";
import { shellCommand } from "./commands/shell";
import { startCommand } from "./commands/start";
import { statsCommand } from "./commands/stats";
import { usersCommand } from "./commands/users";

export const COMMANDS: CliCommand[] = [
  migrateCommand,
  seedCommand,
  importCommand,
  statsCommand,
  digestCommand,
  usersCommand,
  escalateCommand,
  sweepCommand,
  serveCommand,
  shellCommand,
  startCommand,
  ...CHAT_COMMANDS,
];

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "arbot — accounts-receivable collections in Slack, Teams and the terminal",
    "",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    ...COMMANDS.map((c) => `  ${c.usage}`),
    "",
    'Every command takes --help (or -h) for its own form.',
    "Exit status: 0 ok, 2 rows rejected, 64 usage, 65 file rejected, 69 database unavailable, 78 configuration, 1 unexpected.",
  ].join("\n");
}

function context(io: CliIo, command: string): CliContext {
  return {
    io,
    async withApp(uses, work) {
      const app = await startApp({ env: io.env, command: `arbot ${command}`, uses, log: (line) => io.err(line), serveCommands: true, oneShot: isOneShot(command) });
      // Holding an embedded folder: other arbot processes run their commands through us. A
      // server says so in its log; a shell or an import stays quiet.
      const quiet = command !== "serve" && command !== "start";
      const listener = await serveForwardedCommands(app.heldFolder, (argv, forwardedIo) => main(argv, forwardedIo, true), quiet ? () => undefined : (line) => io.err(line));
      try {
        return await work(app);
      } finally {
        await stopForwarding(listener);
        await app.close();
      }
    },
    rejectExtra(positionals, usage) {
      if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${usage}`);
    },
  };
}

/** Runs one command line and returns its exit status (section 4). */
export async function main(argv: string[], io: CliIo = processIo(), forwarded = false): Promise<number> {
  const [name, ...args] = argv;
  const json = args.includes("--json");
  try {
    if (!name || name === "help" || name === "--help" || name === "-h") {
      io.out(helpText());
      return name ? EXIT.ok : EXIT.usage;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      const guess = closestWord(name, COMMANDS.map((c) => c.name));
      throw new UsageError(`unknown command "${name}"${guess ? `; did you mean "arbot ${guess}"? Run` : "; run"} "arbot help" for the list`);
    }
    if (args.includes("--help") || args.includes("-h")) {
      io.out(`${command.usage}\n  ${command.summary}`);
      return EXIT.ok;
    }
    return await command.run(args, context(io, name));
  } catch (error) {
    if (error instanceof DatabaseInUse && !forwarded) {
      const outcome = await forwardToHolder(error, argv, io);
      if (typeof outcome === "number") return outcome;
      // The holder has just stopped: the folder is free (the command had not started any work).
      if (outcome === "gone") return main(argv, io, true);
    }
    const failure = classify(error);
    if (json) io.out(JSON.stringify({ error: { code: failure.code, message: failure.message } }));
    io.err(failure.code === "unexpected" && error instanceof Error && error.stack ? `arbot: ${error.stack}` : `arbot: ${failure.message}`);
    return failure.status;
  }
}
