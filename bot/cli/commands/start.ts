import { parseCommandArgs } from "../args";
import { CliCommand } from "../command";
import { shellSession } from "./shell";

/** npm start: validate, migrate, then the shell (with the demo on an empty database). */
export const startCommand: CliCommand = {
  name: "start",
  usage: "arbot start",
  summary: "what npm start runs: the shell on the embedded database, demo loaded when empty",
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, "arbot start");
    ctx.rejectExtra(positionals, "arbot start");
    return shellSession(ctx, { seedDemo: true });
  },
};
