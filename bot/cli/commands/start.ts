import { parseCommandArgs } from "../args";
import { CliCommand } from "../command";
import { serve, wantsServer } from "./serve";
import { shellSession } from "./shell";

/** npm start: validate, migrate, then serve Slack when configured, else the shell (demo on an empty database). */
export const startCommand: CliCommand = {
  name: "start",
  usage: "arbot start",
  summary: "what npm start runs: the shell on the embedded database, demo loaded when empty",
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, "arbot start");
    ctx.rejectExtra(positionals, "arbot start");
    return wantsServer(ctx.io.env) ? serve(ctx) : shellSession(ctx, { seedDemo: true });
  },
};
