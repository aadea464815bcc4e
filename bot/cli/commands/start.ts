import fs from "node:fs";
import { describeTarget } from "../../../adapters/db/database-target";
import { loadDatabaseTarget } from "../../main";
import { parseCommandArgs } from "../args";
import { CliCommand } from "../command";
import { serve, wantsServer } from "./serve";
import { shellSession } from "./shell";

/** npm start: validate, migrate, then serve the chat platforms when one is configured (Slack, Teams), else the shell (demo on an empty database). */
export const startCommand: CliCommand = {
  name: "start",
  usage: "arbot start",
  summary: "what npm start runs: the shell on the embedded database, demo loaded when empty",
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, "arbot start");
    ctx.rejectExtra(positionals, "arbot start");
    const server = wantsServer(ctx.io.env);
    // The first start creates the database (many seconds on PGlite): say so at once, not after.
    const target = loadDatabaseTarget(ctx.io.env);
    if (target.kind === "pglite" && target.dataDir && !fs.existsSync(target.dataDir)) {
      ctx.io.err(`First start: creating the ${describeTarget(target)}${server ? "" : " and loading the demo portfolio"}; this takes a few seconds…`);
    }
    return server ? serve(ctx) : shellSession(ctx, { seedDemo: true });
  },
};
