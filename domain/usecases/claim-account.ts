import { actorLabel, defaultFunction } from "../model/actor";
import { AppError } from "../model/app-error";
import { formatHumanDate, businessDateAt } from "../model/business-date";
import { TeamFunction } from "../model/team";
import { ensureAllowed } from "../policies/permissions";
import { AccountSummary, Idempotent } from "../ports/workspace.port";
import { CommandContext, recordChange, runChange } from "./command-context";
import { findAccount } from "./find-account";

export interface ClaimOutcome {
  account: AccountSummary;
  function: TeamFunction;
  /** The owner replaced by a takeover. */
  previousOwner: string | null;
  alreadyYours: boolean;
}

/**
 * claim <q> [as fn] [takeover]: one active owner per account and function. A claim on an
 * owned function says who owns it and since when; a takeover (admin or same function)
 * replaces the owner and tells the timeline.
 */
export async function claimAccount(
  ctx: CommandContext,
  input: { query: string; function?: TeamFunction; takeover?: boolean },
): Promise<Idempotent<ClaimOutcome>> {
  const fn = input.function ?? defaultFunction(ctx.actor.role);
  if (!fn) throw new AppError("FORBIDDEN", `You need the finance, sales, cs or admin role to claim accounts; your role is ${ctx.actor.role}.`);
  ensureAllowed(ctx.actor, "claim", fn);
  return runChange(ctx, async (ws) => {
    const account = await findAccount(ws, input.query);
    const current = (await ws.activeClaims(account.id)).find((c) => c.function === fn);
    const now = ctx.clock.now();
    if (current?.user.id === ctx.actor.userId) return { account, function: fn, previousOwner: null, alreadyYours: true };
    if (current && !input.takeover) {
      const since = formatHumanDate(businessDateAt(current.claimedAt, ctx.clock.timeZone));
      throw new AppError(
        "ALREADY_CLAIMED",
        `${account.name} is already owned by ${actorLabel(current.user)} (${fn}) since ${since}. An admin or a ${fn} person can take over: claim ${account.externalId} as ${fn} takeover`,
        { owner: actorLabel(current.user) },
      );
    }
    if (current) {
      if (ctx.actor.role !== "admin" && ctx.actor.role !== fn) ensureAllowed(ctx.actor, "takeover");
      await ws.releaseClaim(current.id, now);
    }
    await ws.createClaim({ accountId: account.id, function: fn, userId: ctx.actor.userId, at: now });
    const previousOwner = current ? actorLabel(current.user) : null;
    await recordChange(ws, ctx, account.id, current ? "takeover" : "claimed", {
      subject: fn,
      before: previousOwner ? { owner: previousOwner } : null,
      after: { owner: actorLabel(ctx.actor) },
    });
    return { account, function: fn, previousOwner, alreadyYours: false };
  });
}
