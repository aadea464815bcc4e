import { AppError } from "../model/app-error";
import { ensureAllowed } from "../policies/permissions";
import { AccountSummary, Idempotent, InvoiceSummary } from "../ports/workspace.port";
import { CommandContext, recordChange } from "./command-context";
import { findInvoice } from "./find-account";

/** resolve <invoice>: finance closes the dispute; the invoice ranks again. */
export async function resolveDispute(ctx: CommandContext, input: { invoice: string }): Promise<Idempotent<{ account: AccountSummary; invoice: InvoiceSummary }>> {
  ensureAllowed(ctx.actor, "resolve");
  return ctx.uow.run(ctx.idempotencyKey, async (ws) => {
    const invoice = await findInvoice(ws, input.invoice);
    const dispute = await ws.openDisputeOf(invoice.id);
    if (!dispute) throw new AppError("NOT_DISPUTED", `${invoice.number} has no open dispute.`);
    await ws.resolveDispute(dispute.id, ctx.actor.userId, ctx.clock.now(), ctx.clock.today());
    await recordChange(ws, ctx, invoice.accountId, "dispute_resolved", { subject: invoice.number, before: { reason: dispute.reason }, after: null });
    return { account: (await ws.accountById(invoice.accountId))!, invoice };
  });
}
