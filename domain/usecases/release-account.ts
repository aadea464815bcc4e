import { actorLabel, defaultFunction } from "../model/actor";
import { AppError } from "../model/app-error";
import { TeamFunction } from "../model/team";
import { ensureAllowed } from "../policies/permissions";
import { AccountSummary, Idempotent } from "../ports/workspace.port";
import { CommandContext, recordChange } from "./command-context";
import { findAccount } from "./find-account";

/** release <q> [as fn]: the owner (or an admin) gives an account back to the pool. */
export async function releaseAccount(
  ctx: CommandContext,
  input: { query: string; function?: TeamFunction },
): Promise<Idempotent<{ account: AccountSummary; function: TeamFunction }>> {
  const fn = input.function ?? defaultFunction(ctx.actor.role);
  if (!fn) throw new AppError("FORBIDDEN", `You need the finance, sales, cs or admin role to release accounts; your role is ${ctx.actor.role}.`);
  ensureAllowed(ctx.actor, "release", fn);
  return ctx.uow.run(ctx.idempotencyKey, async (ws) => {
    const account = await findAccount(ws, input.query);
    const current = (await ws.activeClaims(account.id)).find((c) => c.function === fn);
    if (!current) throw new AppError("NOT_CLAIMED", `${account.name} has no ${fn} owner to release.`);
    if (current.user.id !== ctx.actor.userId && ctx.actor.role !== "admin") {
      throw new AppError("FORBIDDEN", `${account.name} is owned by ${actorLabel(current.user)} (${fn}); only they or an admin can release it.`);
    }
    await ws.releaseClaim(current.id, ctx.clock.now());
    await recordChange(ws, ctx, account.id, "released", { subject: fn, before: { owner: actorLabel(current.user) }, after: null });
    return { account, function: fn };
  });
}
