import { actorLabel } from "../../../domain/model/actor";
import { escalateAccount } from "../../../domain/usecases/escalate-account";
import { slackErrorCode } from "../../../adapters/slack/slack-errors";
import { deliverEscalation, describeEscalationDelivery } from "../../jobs/deliver-escalation";
import { commandContext } from "../../commands/dispatch";
import { ConfigError, ORGANIZATION_VARIABLES, loadSlackConfig } from "../../config";
import { localAdmin } from "../../local-admin";
import { parseCommandArgs, refuseAsOf } from "../args";
import { UsageError } from "../cli-errors";
import { CliCommand } from "../command";

const usage = "arbot escalate ACCOUNT [--reason TEXT]";

/** A manual escalation from the command line: DMs to the owners, or the subscribed channels when unowned. */
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
    const slack = loadSlackConfig(ctx.io.env);
    if (!slack) throw new ConfigError("SLACK_BOT_TOKEN", "arbot escalate delivers through Slack: set SLACK_BOT_TOKEN (and SLACK_API_URL for a proxy)");
    // Slack's modules load only when a command talks to Slack.
    const [{ slackDeliveryFor }, { slackDeps }] = await Promise.all([import("../../../adapters/slack/slack-app"), import("../../server")]);
    return ctx.withApp(ORGANIZATION_VARIABLES, async (app) => {
      const deps = slackDeps(app, (line) => ctx.io.err(line));
      const delivery = await slackDeliveryFor(slack, deps);
      const actor = await localAdmin(app, "cli");
      const result = await escalateAccount(commandContext(app.services, actor), { query: account, ...(values.reason ? { reason: values.reason } : {}) });
      if (result.duplicate) return 0;
      const escalation = result.value;
      const channels = (await deps.runs.subscriptions("slack")).filter((s) => s.scope === "finance" || s.scope === "all");
      const sent = await deliverEscalation(delivery, escalation, actorLabel(actor), channels, (error) => slackErrorCode(error) ?? "error");
      ctx.io.out(
        values.json
          ? JSON.stringify({
              account: escalation.account.externalId,
              escalationId: escalation.escalationId,
              directMessages: sent.reached,
              notOnSlack: sent.notReachable,
              failedDirectMessages: sent.failed,
              channels: sent.channels,
              failedChannels: sent.failedChannels,
            })
          : describeEscalationDelivery(escalation.account.name, sent, "Slack"),
      );
      return 0;
    });
  },
};
