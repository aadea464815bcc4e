import { actorLabel } from "../model/actor";
import { AppError } from "../model/app-error";
import { checkReason } from "../model/free-text";
import { formatHumanDate } from "../model/business-date";
import { openBalanceAt } from "../policies/open-balance";
import { ensureAllowed } from "../policies/permissions";
import { AccountSummary, Idempotent, InvoiceSummary } from "../ports/workspace.port";
import { CommandContext, recordChange, runChange } from "./command-context";
import { findInvoice } from "./find-account";

/** dispute <invoice> <reason>: the invoice leaves the ranking but stays visible. */
export async function openDispute(
  ctx: CommandContext,
  input: { invoice: string; reason: string },
): Promise<Idempotent<{ account: AccountSummary; invoice: InvoiceSummary; reason: string }>> {
  ensureAllowed(ctx.actor, "dispute");
  const reason = checkReason(input.reason, true)!;
  return runChange(ctx, async (ws) => {
    const invoice = await findInvoice(ws, input.invoice);
    const existing = await ws.openDisputeOf(invoice.id);
    if (existing) {
      throw new AppError("ALREADY_DISPUTED", `${invoice.number} is already disputed since ${formatHumanDate(existing.openedOn)} by ${existing.openedBy}: “${existing.reason}”.`);
    }
    const facts = await ws.accountFacts(invoice.accountId);
    const ledgerInvoice = facts.invoices.find((i) => i.id === invoice.id)!;
    const today = ctx.clock.today();
    if (openBalanceAt(ledgerInvoice, today) <= 0n) throw new AppError("INVALID_INPUT", `${invoice.number} has nothing open to dispute.`);
    await ws.createDispute({ invoiceId: invoice.id, accountId: invoice.accountId, reason, openedById: ctx.actor.userId, at: ctx.clock.now(), on: today });
    await recordChange(ws, ctx, invoice.accountId, "dispute_opened", { subject: invoice.number, after: { reason, by: actorLabel(ctx.actor) } });
    return { account: (await ws.accountById(invoice.accountId))!, invoice, reason };
  });
}
