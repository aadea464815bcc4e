import { writeDemoPortfolio } from "../../../adapters/db/prisma-demo-writer";
import { buildDemoPortfolio } from "../../demo/demo-portfolio";
import { parseCommandArgs, refuseAsOf } from "../args";
import { UsageError } from "../cli-errors";
import { CliCommand } from "../command";

const usage = "arbot seed --demo";

export const seedCommand: CliCommand = {
  name: "seed",
  usage,
  summary: "load the demo portfolio (idempotent; dates relative to today)",
  async run(args, ctx) {
    refuseAsOf(args, "seed");
    const { values, positionals } = parseCommandArgs(args, { demo: { type: "boolean" } }, usage);
    ctx.rejectExtra(positionals, usage);
    if (!values.demo) throw new UsageError(`seed loads the demo portfolio: add --demo\nusage: ${usage}`);
    return ctx.withApp(async (app) => {
      const result = await writeDemoPortfolio(app.db.prisma, buildDemoPortfolio(app.clock.today()), app.clock);
      ctx.io.out(
        result.alreadyLoaded
          ? "The demo portfolio is already loaded; nothing changed."
          : `Loaded the demo portfolio: ${result.accounts} accounts, ${result.invoices} invoices. Try: arbot digest`,
      );
      return 0;
    });
  },
};
