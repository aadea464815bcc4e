import { actorLabel } from "../model/actor";
import { AppError } from "../model/app-error";
import { TeamFunction } from "../model/team";
import { ensureAllowed } from "../policies/permissions";
import { AccountSummary, Idempotent } from "../ports/workspace.port";
import { CommandContext, recordChange, runChange } from "./command-context";
import { findAccount } from "./find-account";

/**
 * The Reassign button of an escalation message: another person owns the account for a
 * function. Subject to the roles table: the current owner, a person of that function or an
 * admin may reassign; the new owner must be of that function or an admin.
 */
export async function reassignAccount(
  ctx: CommandContext,
  input: { query: string; function: TeamFunction; email: string },
): Promise<Idempotent<{ account: AccountSummary; function: TeamFunction; owner: string; previousOwner: string | null }>> {
  ensureAllowed(ctx.actor, "claim");
  const email = input.email.trim().toLowerCase();
  if (!email) throw new AppError("INVALID_INPUT", "Give the new owner's email.");
  return runChange(ctx, async (ws) => {
    const account = await findAccount(ws, input.query);
    const current = (await ws.activeClaims(account.id)).find((c) => c.function === input.function);
    const mayReassign = ctx.actor.role === "admin" || ctx.actor.role === input.function || current?.user.id === ctx.actor.userId;
    if (!mayReassign) throw new AppError("FORBIDDEN", `Only its ${input.function} owner, a ${input.function} person or an admin can reassign ${account.name} for ${input.function}; your role is ${ctx.actor.role}.`);
    const target = await ws.users.findByEmail(email);
    if (!target) throw new AppError("NOT_FOUND", `Nobody with the email ${email} uses arbot yet: they appear when they first use it.`);
    if (target.role !== "admin" && target.role !== input.function) {
      throw new AppError("FORBIDDEN", `${actorLabel(target)} has the ${target.role} role: only ${input.function} people or an admin can own ${account.name} for ${input.function}.`);
    }
    if (current?.user.id === target.id) throw new AppError("CONFLICT", `${actorLabel(target)} already owns ${account.name} for ${input.function}.`);
    const now = ctx.clock.now();
    if (current) await ws.releaseClaim(current.id, now);
    await ws.createClaim({ accountId: account.id, function: input.function, userId: target.id, at: now });
    const previousOwner = current ? actorLabel(current.user) : null;
    await recordChange(ws, ctx, account.id, "reassigned", { subject: input.function, before: previousOwner ? { owner: previousOwner } : null, after: { owner: actorLabel(target) } });
    return { account, function: input.function, owner: actorLabel(target), previousOwner };
  });
}
