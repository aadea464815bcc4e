import { getArStats } from "../../../domain/usecases/get-ar-stats";
import { renderStatsText } from "../../../adapters/shell/text-stats";
import { statsToJson } from "../../views/report-json";
import { parseAsOf, parseCommandArgs } from "../args";
import { CliCommand } from "../command";
import { OrganizationVariable } from "../../config";

const usage = "arbot stats [--as-of YYYY-MM-DD] [--json]";
/** Business dates, and the grace that decides whether a promise is kept or broken. */
const USES: OrganizationVariable[] = ["AR_TIMEZONE", "AR_PROMISE_GRACE_DAYS"];

export const statsCommand: CliCommand = {
  name: "stats",
  usage,
  summary: "AR, aging, DSO (standard, countback, best possible), ADD, CEI, promises and disputes",
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { "as-of": { type: "string" }, json: { type: "boolean" } }, usage);
    ctx.rejectExtra(positionals, usage);
    const asOf = parseAsOf(values["as-of"], usage);
    return ctx.withApp(USES, async (app) => {
      const stats = await getArStats(app, asOf ?? app.clock.today(), app.config.promiseGraceDays);
      ctx.io.out(values.json ? JSON.stringify(statsToJson(stats)) : renderStatsText(stats));
      return 0;
    });
  },
};
