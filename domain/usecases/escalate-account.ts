import { actorLabel } from "../model/actor";
import { ensureAllowed } from "../policies/permissions";
import { AccountSummary, Idempotent, UserRecord } from "../ports/workspace.port";
import { CommandContext, recordChange } from "./command-context";
import { checkReason } from "../model/free-text";
import { findAccount } from "./find-account";

export interface EscalationOutcome {
  escalationId: number;
  account: AccountSummary;
  reason: string | null;
  /** The account's owners to ping; empty: ask the channel for someone to claim it. */
  owners: UserRecord[];
}

/** escalate <q> [reason]: records a manual escalation to the owners; delivery is the platform's. */
export async function escalateAccount(ctx: CommandContext, input: { query: string; reason?: string }): Promise<Idempotent<EscalationOutcome>> {
  ensureAllowed(ctx.actor, "escalate");
  const reason = checkReason(input.reason ?? "", false);
  return ctx.uow.run(ctx.idempotencyKey, async (ws) => {
    const account = await findAccount(ws, input.query);
    const owners = [...new Map((await ws.activeClaims(account.id)).map((c) => [c.user.id, c.user])).values()];
    const escalationId = await ws.createEscalation({
      accountId: account.id,
      kind: "manual",
      level: 1,
      reason,
      raisedById: ctx.actor.userId,
      targets: { userIds: owners.map((o) => o.id), channel: owners.length === 0 },
      at: ctx.clock.now(),
    });
    await recordChange(ws, ctx, account.id, "escalated", {
      after: { reason, to: owners.length > 0 ? owners.map(actorLabel) : "channel (no owner)" },
    });
    return { escalationId, account, reason, owners };
  });
}
