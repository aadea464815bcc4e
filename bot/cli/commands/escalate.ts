import { actorLabel } from "../../../domain/model/actor";
import { escalateAccount } from "../../../domain/usecases/escalate-account";
import { deliverEscalation, deliveryRecord } from "../../jobs/deliver-escalation";
import { recordEscalationDelivery } from "../../../domain/usecases/record-escalation-delivery";
import { commandContext } from "../../commands/dispatch";
import { ConfigError, ORGANIZATION_VARIABLES } from "../../config";
import { localAdmin } from "../../local-admin";
import { PLATFORM_SETUP, platformDeps, platformsIn } from "../../main";
import { connectAll } from "../../platform/platform-module";
import { escalationDelivered, EscalationDelivery } from "../../views/reply";
import { parseCommandArgs, refuseAsOf } from "../args";
import { UsageError } from "../cli-errors";
import { CliCommand } from "../command";

const usage = "arbot escalate ACCOUNT [--reason TEXT]";

/** A manual escalation from the command line: DMs to the owners, or the subscribed channels when unowned, on every configured platform. */
export const escalateCommand: CliCommand = {
  name: "escalate",
  usage,
  summary: "escalate an account: a direct message to its owners, or the digest channels when it has none",
  async run(args, ctx) {
    refuseAsOf(args, "escalate");
    const { values, positionals } = parseCommandArgs(args, { reason: { type: "string" }, json: { type: "boolean" } }, usage);
    const [account, ...extra] = positionals;
    if (!account) throw new UsageError(`escalate needs the account (its id or part of its name)\nusage: ${usage}`);
    ctx.rejectExtra(extra, usage);
    const configured = platformsIn(ctx.io.env);
    if (configured.length === 0) throw new ConfigError("chat platform", `arbot escalate delivers through a chat platform: set ${PLATFORM_SETUP}`);
    return ctx.withApp(ORGANIZATION_VARIABLES, async (app) => {
      const platforms = await connectAll(configured, platformDeps(app, (line) => ctx.io.err(line)));
      const actor = await localAdmin(app, "cli");
      const result = await escalateAccount(commandContext(app.services, actor), { query: account, ...(values.reason ? { reason: values.reason } : {}) });
      if (result.duplicate) return 0;
      const escalation = result.value;
      const deliveries: { label: string; sent: EscalationDelivery }[] = [];
      const record = { to: [] as string[], notReached: [] as string[], channelAsked: false };
      for (const platform of platforms) {
        const channels = (await app.runs.subscriptions(platform.name)).filter((s) => s.scope === "finance" || s.scope === "all");
        const sent = await deliverEscalation(platform.notifier, escalation, actorLabel(actor), channels, (error) => platform.failure(error)?.code ?? "error");
        deliveries.push({ label: platform.label, sent });
        const done = deliveryRecord(sent, platform.name);
        record.to.push(...done.to);
        record.notReached.push(...done.notReached);
        record.channelAsked ||= done.channelAsked;
      }
      await recordEscalationDelivery(commandContext(app.services, actor), { escalationId: escalation.escalationId, accountId: escalation.account.id, ...record });
      if (values.json) {
        const all = (pick: (s: EscalationDelivery) => string[]) => deliveries.flatMap((d) => pick(d.sent));
        ctx.io.out(
          JSON.stringify({
            account: escalation.account.externalId,
            escalationId: escalation.escalationId,
            directMessages: all((s) => s.reached),
            notOnPlatform: all((s) => s.notReachable),
            failedDirectMessages: all((s) => s.failed),
            channels: deliveries.reduce((n, d) => n + d.sent.channels, 0),
            failedChannels: all((s) => s.failedChannels),
          }),
        );
      } else {
        ctx.io.out(deliveries.map((d) => escalationDelivered(escalation.account.name, d.sent, d.label)).join("\n"));
      }
      return 0;
    });
  },
};
