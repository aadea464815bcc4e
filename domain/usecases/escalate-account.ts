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
      // Who it is for; whether a channel was asked is known once it was delivered.
      targets: { userIds: owners.map((o) => o.id), channel: false },
      at: ctx.clock.now(),
    });
    // What was sent is recorded after delivery (recordEscalationDelivery): here, who it is for.
    await recordChange(ws, ctx, account.id, "escalated", { after: { reason, ...(owners.length > 0 ? { for: owners.map(actorLabel) } : {}) } });
    return { escalationId, account, reason, owners };
  });
}
