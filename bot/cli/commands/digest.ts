import { prepareDigest } from "../../../domain/usecases/prepare-digest";
import { renderDigestText } from "../../../adapters/shell/text-digest";
import { buildDigestView } from "../../views/digest-view";
import { rankingToJson } from "../../views/report-json";
import { parseAsOf, parseCommandArgs } from "../args";
import { CliCommand } from "../command";

const usage = "arbot digest [--as-of YYYY-MM-DD] [--json]";

export const digestCommand: CliCommand = {
  name: "digest",
  usage,
  summary: "every account with an undisputed overdue balance, ranked, with the reasons",
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { "as-of": { type: "string" }, json: { type: "boolean" } }, usage);
    ctx.rejectExtra(positionals, usage);
    const asOf = parseAsOf(values["as-of"], usage);
    return ctx.withApp(async (app) => {
      const digest = await prepareDigest(app, asOf ?? app.clock.today(), app.priority);
      ctx.io.out(values.json ? JSON.stringify(rankingToJson(digest.ranking)) : renderDigestText(buildDigestView(digest)));
      return 0;
    });
  },
};
