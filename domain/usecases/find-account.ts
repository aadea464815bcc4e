import { AmbiguousMatch, AppError } from "../model/app-error";
import { AccountSummary, InvoiceSummary, MATCH_LEVELS, Workspace } from "../ports/workspace.port";

export const MAX_CANDIDATES = 10;

/**
 * `<q>` (section 5): exact external id, exact name, name prefix, name substring, all
 * case-insensitive. Several matches at the first level that matches answer with up to 10
 * candidates; never a guess. `byId`: the first level's matches, when already read.
 */
export async function findAccount(ws: Workspace, query: string, byId?: AccountSummary[]): Promise<AccountSummary> {
  const q = query.trim();
  if (!q) throw new AppError("INVALID_INPUT", "Say which account: its id or part of its name.");
  for (const level of MATCH_LEVELS) {
    const found = level === "id" && byId ? byId : await ws.findAccounts(q, level, MAX_CANDIDATES);
    if (found.length === 1) return found[0]!;
    if (found.length > 1) throw new AmbiguousMatch(q, found.map((a) => ({ id: a.externalId, name: a.name })));
  }
  throw new AppError("NOT_FOUND", `No account matches “${q}”. Try its customer id or part of its name.`);
}

/** An invoice by number, case-insensitively. */
export async function findInvoice(ws: Workspace, number: string): Promise<InvoiceSummary> {
  const found = await ws.findInvoices(number.trim(), MAX_CANDIDATES);
  const exact = found.filter((i) => i.number === number.trim());
  if (exact.length === 1 || found.length === 1) return (exact[0] ?? found[0])!;
  if (found.length > 1) throw new AmbiguousMatch(number, found.map((i) => ({ id: i.number, name: i.number })), "invoice");
  throw new AppError("NOT_FOUND", `No invoice numbered “${number.trim()}”.`);
}
