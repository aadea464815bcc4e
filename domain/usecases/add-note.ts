import { checkNoteText } from "../model/free-text";
import { ensureAllowed } from "../policies/permissions";
import { AccountSummary, Idempotent } from "../ports/workspace.port";
import { CommandContext, recordChange } from "./command-context";
import { findAccount } from "./find-account";

/** note <q> <text>: kept whole on the account's timeline, never deleted by chat. */
export async function addNote(ctx: CommandContext, input: { query: string; text: string }): Promise<Idempotent<{ account: AccountSummary }>> {
  ensureAllowed(ctx.actor, "note");
  const text = checkNoteText(input.text);
  return ctx.uow.run(ctx.idempotencyKey, async (ws) => {
    const account = await findAccount(ws, input.query);
    await ws.addNote({ accountId: account.id, authorId: ctx.actor.userId, text, platform: ctx.actor.platform, at: ctx.clock.now() });
    await recordChange(ws, ctx, account.id, "note_added", { after: { text } });
    return { account };
  });
}
