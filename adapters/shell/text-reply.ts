import { FUNCTIONS } from "../../domain/model/team";
import { AccountCardView, openInvoiceWords } from "../../bot/views/account-card-view";
import { HomeView } from "../../bot/views/home-view";
import { Reply } from "../../bot/commands/dispatch";
import { renderDigestText } from "./text-digest";
import { renderStatsText } from "./text-stats";

export function renderAccountText(view: AccountCardView): string {
  const lines = [view.title];
  if (view.details) lines.push(`  ${view.details}`);
  if (view.history) {
    // `account <q> history`: the timeline only, a page at a time.
    lines.push(view.timeline.length > 0 ? "  Timeline (latest first):" : "  Timeline: nothing recorded yet.");
    for (const t of view.timeline) lines.push(`    ${t.when}  ${t.who}  ${t.what}`);
    if (view.timelineNote) lines.push(`  ${view.timelineNote}`);
    return lines.join("\n");
  }
  if (view.balances.length === 0) lines.push("  Nothing open.");
  // Overdue counts disputed invoices (section 7): say so when the account has disputes.
  const included = view.disputes.length > 0 ? " incl. disputed" : "";
  for (const b of view.balances) {
    lines.push(`  ${b.currency}: open ${b.open}, overdue ${b.overdue}${included}${b.maxDaysPastDue > 0 ? ` (up to ${b.maxDaysPastDue} days past due)` : ""}, disputed ${b.disputed}${b.credit ? `, unapplied credit ${b.credit} (taken off open)` : ""}`);
  }
  if (view.openInvoices.length > 0) {
    lines.push("  Open invoices (oldest due first):");
    for (const i of view.openInvoices) lines.push(`    ${openInvoiceWords(i)}`);
    if (view.moreInvoices) lines.push(`    ${view.moreInvoices}`);
  }
  const owners = FUNCTIONS.map((fn) => {
    const owner = view.owners.find((o) => o.function === fn);
    return `${fn} ${owner ? `${owner.owner} (since ${owner.since})` : "—"}`;
  });
  lines.push(`  Owners: ${owners.join(" · ")}`);
  if (view.priority) lines.push(`  Priority: ${view.priority}`);
  lines.push(`  Open promise: ${view.openPromises.length > 0 ? view.openPromises.join("; ") : view.brokenPromise ? `none; last broken: ${view.brokenPromise}` : "none"}`);
  lines.push(`  Disputes: ${view.disputes.length > 0 ? view.disputes.join("; ") : "none"}`);
  if (view.timeline.length > 0) {
    lines.push("  Timeline (latest first):");
    for (const t of view.timeline) lines.push(`    ${t.when}  ${t.who}  ${t.what}`);
    if (view.timelineNote) lines.push(`  ${view.timelineNote}`);
  }
  return lines.join("\n");
}

export function renderHomeText(view: HomeView): string {
  const lines = ["Your accounts:"];
  if (view.accounts.length === 0) lines.push("  none yet — claim one from the digest: claim <account>");
  for (const fn of FUNCTIONS) {
    const mine = view.accounts.filter((a) => a.function === fn);
    if (mine.length === 0) continue;
    lines.push(`  ${fn}:`);
    for (const a of mine) lines.push(`    ${a.name} (${a.accountId}): ${a.overdue} overdue; yours since ${a.since}`);
  }
  lines.push(`Your promises due this week: ${view.promisesDue.length > 0 ? "" : "none"}`);
  for (const p of view.promisesDue) lines.push(`  ${p}`);
  lines.push(`Your open escalations: ${view.escalations.length > 0 ? "" : "none"}`);
  for (const e of view.escalations) lines.push(`  ${e}`);
  return lines.join("\n");
}

/** A reply as terminal text, and whether it is an error (stderr). */
export function renderReplyText(reply: Reply): { text: string; error: boolean } {
  switch (reply.kind) {
    case "help":
      return { text: reply.text, error: false };
    case "digest":
      return { text: renderDigestText(reply.view), error: false };
    case "stats":
      return { text: renderStatsText(reply.stats), error: false };
    case "account":
      return { text: renderAccountText(reply.view), error: false };
    case "home":
      return { text: renderHomeText(reply.view), error: false };
    case "form":
      return { text: `The shell has no forms: type ${reply.form} with its arguments (help shows the form).`, error: true };
    case "done":
      return { text: reply.undelivered ? `${reply.text}\nThe shell sends no chat messages: escalate in Slack to message the owners.` : reply.text, error: false };
    case "duplicate":
      return { text: "Already done.", error: false };
    case "error":
      return { text: reply.message, error: true };
  }
}
