import { digestOf } from "../../digest-cache";
import { renderDigestText } from "../../../adapters/shell/text-digest";
import { buildDigestView } from "../../views/digest-view";
import { rankingToJson } from "../../views/report-json";
import { parseAsOf, parseCommandArgs } from "../args";
import { CliCommand, CliContext } from "../command";
import { UsageError } from "../cli-errors";
import { ConfigError, ORGANIZATION_VARIABLES, OrganizationVariable } from "../../config";
import { runDueDigests } from "../../jobs/digest-job";
import { PLATFORM_SETUP, platformDeps, platformsIn } from "../../main";
import { connectAll } from "../../platform/platform-module";

const OUTCOME_WORDS: Record<string, string> = {
  posted: "posted",
  recovered: "already posted before a restart; not posted again",
  busy: "being posted by another process",
  already_served: "already served today",
  failed: "failed (the subscriber was told)",
  retry: "the platform did not take it; the scheduler retries",
  not_due: "not due",
  interrupted: "interrupted while posting after a crash; not posted again (the platform has no history to check): look in the channel",
};

/** --send: every subscribed channel of every configured platform not yet served today gets its digest now, once. */
async function sendDigests(ctx: CliContext, json: boolean): Promise<number> {
  const configured = platformsIn(ctx.io.env);
  if (configured.length === 0) throw new ConfigError("chat platform", `digest --send posts to the subscribed channels: set ${PLATFORM_SETUP}`);
  return ctx.withApp(ORGANIZATION_VARIABLES, async (app) => {
    const log = (line: string) => ctx.io.err(line);
    const platforms = await connectAll(configured, platformDeps(app, log));
    const deps = { runs: app.runs, ledger: app.ledger, clock: app.clock, priority: app.priority, digestTop: app.config.digestTop, log };
    const outcomes = new Map<string, string>();
    for (const platform of platforms) {
      for (const [channel, outcome] of await runDueDigests(deps, platform.notifier, { force: true })) outcomes.set(channel, outcome);
    }
    const channels = Object.fromEntries(outcomes);
    if (json) ctx.io.out(JSON.stringify({ channels }));
    else if (outcomes.size === 0) ctx.io.out(`No channel is subscribed: ${platforms.map((p) => `${p.invocation} subscribe in a ${p.label} channel`).join(", or ")} first.`);
    else for (const [channel, outcome] of outcomes) ctx.io.out(`${channel}: ${OUTCOME_WORDS[outcome]}`);
    return 0;
  });
}

const usage = "arbot digest [all] [--as-of YYYY-MM-DD] [--json] [--send]";
/** The report: business dates and the priority score (stalled accounts, broken promises). */
const USES: OrganizationVariable[] = ["AR_TIMEZONE", "AR_STALL_DAYS", "AR_PROMISE_GRACE_DAYS"];

export const digestCommand: CliCommand = {
  name: "digest",
  usage,
  summary: "every account with an undisputed overdue balance, ranked, with the reasons (all: the same, as in chat)",
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { "as-of": { type: "string" }, json: { type: "boolean" }, send: { type: "boolean" } }, usage);
    // `digest all` as in chat: the command line always lists every account.
    ctx.rejectExtra(positionals[0]?.toLowerCase() === "all" ? positionals.slice(1) : positionals, usage);
    if (values.send) {
      if (values["as-of"] !== undefined) throw new UsageError("digest --send posts today's digest: --as-of is for reports only");
      return sendDigests(ctx, Boolean(values.json));
    }
    const asOf = parseAsOf(values["as-of"], usage);
    return ctx.withApp(USES, async (app) => {
      const digest = await digestOf(app, asOf ?? app.clock.today());
      ctx.io.out(values.json ? JSON.stringify(rankingToJson(digest.ranking)) : renderDigestText(buildDigestView(digest)));
      return 0;
    });
  },
};
