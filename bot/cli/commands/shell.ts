import { runShell } from "../../../adapters/shell/shell";
import { localAdmin } from "../../local-admin";
import { App } from "../../main";
import { ORGANIZATION_VARIABLES } from "../../config";
import { parseCommandArgs } from "../args";
import { CliCommand, CliContext } from "../command";

const usage = "arbot shell";

/** Loads the demo portfolio into an empty database and says so (npm start). */
async function seedWhenEmpty(app: App, ctx: CliContext): Promise<void> {
  if (!(await app.isEmpty())) return;
  const result = await app.seedDemo();
  if (result.status === "loaded") ctx.io.out(`The database was empty: loaded the demo portfolio (${result.accounts} accounts, ${result.invoices} invoices).`);
}

export function shellSession(ctx: CliContext, options: { seedDemo: boolean }): Promise<number> {
  return ctx.withApp(ORGANIZATION_VARIABLES, async (app) => {
    if (options.seedDemo) await seedWhenEmpty(app, ctx);
    const actor = await localAdmin(app);
    if (ctx.io.stdinIsTty) ctx.io.out("arbot shell — type help for the commands, exit to leave.");
    return runShell(app.services, actor, { input: ctx.io.stdin, interactive: ctx.io.stdinIsTty, out: ctx.io.out, err: ctx.io.err });
  });
}

export const shellCommand: CliCommand = {
  name: "shell",
  usage,
  summary: "type chat commands (digest, claim, note, promise…) as local-admin",
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, usage);
    ctx.rejectExtra(positionals, usage);
    return shellSession(ctx, { seedDemo: false });
  },
};
