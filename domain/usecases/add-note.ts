import { AppError } from "../model/app-error";
import { ensureAllowed } from "../policies/permissions";
import { AccountSummary, Idempotent } from "../ports/workspace.port";
import { CommandContext, recordChange } from "./command-context";
import { findAccount } from "./find-account";

export const NOTE_MAX_LENGTH = 3000;

/** note <q> <text>: kept whole on the account's timeline, never deleted by chat. */
export async function addNote(ctx: CommandContext, input: { query: string; text: string }): Promise<Idempotent<{ account: AccountSummary }>> {
  ensureAllowed(ctx.actor, "note");
  const text = input.text.trim();
  if (!text) throw new AppError("INVALID_INPUT", "The note is empty: write what happened.");
  if (text.length > NOTE_MAX_LENGTH) {
    throw new AppError("INVALID_INPUT", `A note holds ${NOTE_MAX_LENGTH} characters at most; this one has ${text.length}. Split it in two.`);
  }
  return ctx.uow.run(ctx.idempotencyKey, async (ws) => {
    const account = await findAccount(ws, input.query);
    await ws.addNote({ accountId: account.id, authorId: ctx.actor.userId, text, platform: ctx.actor.platform, at: ctx.clock.now() });
    await recordChange(ws, ctx, account.id, "note_added", { after: { text } });
    return { account };
  });
}
