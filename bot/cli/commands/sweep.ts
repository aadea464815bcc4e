import { formatMoney } from "../../../domain/model/money";
import { ConfigError, OrganizationVariable } from "../../config";
import { runSweep, SweepReport } from "../../jobs/escalation-sweep";
import { PLATFORM_SETUP, platformDeps, platformsIn } from "../../main";
import { connectAll } from "../../platform/platform-module";
import { parseAsOf, parseCommandArgs } from "../args";
import { UsageError } from "../cli-errors";
import { CliCommand } from "../command";

const usage = "arbot sweep [--dry-run] [--as-of YYYY-MM-DD] [--json]";
/** The rules of section 10 and the business dates they count in. */
const USES: OrganizationVariable[] = ["AR_TIMEZONE", "AR_STALL_DAYS", "AR_STALL_DAYS_STRATEGIC", "AR_ESCALATE_AFTER_DAYS", "AR_DISPUTE_SLA_DAYS", "AR_PROMISE_GRACE_DAYS", "AR_ESCALATION_DAILY_LIMIT"];

const TRIGGER_WORDS = { stalled: "stalled", broken_promise: "broken promise", dispute_sla: "dispute past its SLA" } as const;

/** The report as lines a person reads: who would be (or was) told about which account, and why. */
export function sweepInWords(report: SweepReport): string {
  const lines: string[] = [];
  const head = report.dryRun ? `Escalations due on ${report.asOf} (dry run: nothing sent or recorded)` : `Escalation sweep of ${report.asOf}`;
  lines.push(report.escalations.length === 0 ? `${head}: none.` : `${head}:`);
  for (const e of report.escalations) {
    const to = e.recipients.map((r) => `${r.kind} ${r.who ?? "(no channel)"}${r.platform ? ` on ${r.platform}` : r.kind === "channel" ? "" : " (no chat identity)"}`).join(", ");
    const invoice = e.invoice ? ` (invoice ${e.invoice})` : "";
    const overdue = Object.entries(e.overdue).map(([currency, amount]) => formatMoney(BigInt(amount.replace(".", "")), currency));
    const owed = overdue.length > 0 ? `, ${overdue.join(" + ")} overdue` : "";
    lines.push(`  ${e.accountId} ${e.name}: ${TRIGGER_WORDS[e.trigger]}${invoice}, level ${e.level}, idle ${e.idleDays} days${owed} -> ${to} [${e.status}]`);
  }
  if (report.deferred.length > 0) {
    lines.push(`Deferred to the next sweep (someone already hears about AR_ESCALATION_DAILY_LIMIT accounts in this one): ${report.deferred.length}`);
    for (const d of report.deferred.slice(0, 20)) lines.push(`  ${d.accountId} ${d.name}: ${TRIGGER_WORDS[d.trigger]}, level ${d.level}`);
    if (report.deferred.length > 20) lines.push(`  … and ${report.deferred.length - 20} more (--json lists them all)`);
  }
  if (report.paused.length > 0) {
    lines.push("Paused:");
    for (const p of report.paused) lines.push(`  ${p.accountId}: ${p.why === "snoozed" ? "snoozed" : "open promise"} until ${p.until}`);
  }
  return lines.join("\n");
}

/** `arbot sweep`: the automatic escalations of today, or with --dry-run who would be told on any day. */
export const sweepCommand: CliCommand = {
  name: "sweep",
  usage,
  summary: "the automatic escalations: stalled accounts, broken promises and overdue disputes to their owners, leads, admins",
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { "dry-run": { type: "boolean" }, "as-of": { type: "string" }, json: { type: "boolean" } }, usage);
    ctx.rejectExtra(positionals, usage);
    const dryRun = Boolean(values["dry-run"]);
    const asOf = parseAsOf(values["as-of"], usage);
    if (asOf !== undefined && !dryRun) throw new UsageError(`sweep sends today's escalations: --as-of needs --dry-run\nusage: ${usage}`);
    const configured = dryRun ? [] : platformsIn(ctx.io.env);
    if (!dryRun && configured.length === 0) throw new ConfigError("chat platform", `arbot sweep delivers through a chat platform: set ${PLATFORM_SETUP}, or use --dry-run`);
    return ctx.withApp(USES, async (app) => {
      const log = (line: string) => ctx.io.err(line);
      const platforms = dryRun ? [] : await connectAll(configured, platformDeps(app, log));
      const report = await runSweep({ ledger: app.ledger, store: app.sweeps, clock: app.clock, policy: app.escalationPolicy, log, changed: () => app.ledgerChanged() }, platforms, { dryRun, ...(asOf ? { asOf } : {}) });
      ctx.io.out(values.json ? JSON.stringify(report) : sweepInWords(report));
      return 0;
    });
  },
};
