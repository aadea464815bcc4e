import { renderAccountText } from "../../../../adapters/shell/text-reply";
import { renderAccountCard } from "../../../../adapters/slack/render/reply-blocks";
import { buildAccountCardView } from "../../../../bot/views/account-card-view";
import { AccountCard } from "../../../../domain/usecases/get-account-card";

const at = new Date("2026-11-20T12:00:00Z");

const card = (fields: Partial<AccountCard> = {}): AccountCard => ({
  account: { id: 1, externalId: "ACME", name: "Acme Corp", segment: null, tier: null, region: null },
  asOf: "2026-11-20",
  balances: [{ currency: "USD", open: 150000n, overdue: 150000n, disputed: 100000n, maxDaysPastDue: 81 }],
  openInvoices: [],
  owners: [],
  openPromises: [],
  lastBrokenPromise: null,
  disputes: [],
  timeline: [],
  timelinePage: { offset: 0, total: 0, history: false },
  invoiceCurrencies: new Map(),
  ...fields,
});

const text = (c: AccountCard) => renderAccountText(buildAccountCardView(c, "UTC"));

describe("the terminal account card", () => {
  test("says that overdue includes disputed invoices when the account has disputes (section 7)", () => {
    const disputed = card({
      disputes: [{ id: 1, invoiceId: 1, invoiceNumber: "A-1", accountId: 1, reason: "wrong price", openedBy: "dana@example.com", openedAt: at, openedOn: "2026-11-20" }],
    });
    const lines = text(disputed).split("\n");
    expect(lines[1]).toBe("  USD: open USD 1,500.00, overdue USD 1,500.00 incl. disputed (up to 81 days past due), disputed USD 1,000.00");
    expect(lines).toContain("  Disputes: A-1: “wrong price” (dana@example.com, since 20 Nov 2026)");
  });

  test("without disputes, overdue needs no note", () => {
    const plain = card({ balances: [{ currency: "USD", open: 150000n, overdue: 50000n, disputed: 0n, maxDaysPastDue: 51 }] });
    expect(text(plain).split("\n")[1]).toBe("  USD: open USD 1,500.00, overdue USD 500.00 (up to 51 days past due), disputed USD 0.00");
  });

  test("labelled fields; an account keyed by its name shows the name once", () => {
    const labelled = card({ account: { id: 1, externalId: "Cooper Hardware", name: "Cooper Hardware", segment: "enterprise", tier: "enterprise", region: "NA" } });
    const lines = text(labelled).split("\n");
    expect(lines[0]).toBe("Cooper Hardware");
    expect(lines[1]).toBe("  Segment: enterprise · Tier: enterprise · Region: NA");
    expect(text(card()).split("\n")[0]).toBe("Acme Corp (ACME)");
  });

  test("lists the open invoices with due date, days past due, open amount and whether disputed", () => {
    const lines = text(
      card({
        openInvoices: [
          { number: "A-1", currency: "USD", dueDate: "2026-08-31", daysPastDue: 81, openMinor: 100000n, disputed: true },
          { number: "A-2", currency: "USD", dueDate: "2026-11-21", daysPastDue: 0, openMinor: 50000n, disputed: false },
        ],
      }),
    ).split("\n");
    expect(lines).toContain("  Open invoices (oldest due first):");
    expect(lines).toContain("    A-1  due 31 Aug 2026, 81 days past due  USD 1,000.00  disputed");
    expect(lines).toContain("    A-2  due 21 Nov 2026, not yet due  USD 500.00");
  });

  test("with no open promise, the last broken one is shown with the day it broke", () => {
    const broken = card({ lastBrokenPromise: { currency: "USD", amountMinor: 50000n, promisedOn: "2026-11-10", coveredMinor: 10000n, brokenOn: "2026-11-12" } });
    expect(text(broken)).toContain("  Open promise: none; last broken: USD 500.00 by 10 Nov 2026 (USD 100.00 paid so far), broken on 12 Nov 2026");
    const open = card({ ...broken, openPromises: [{ currency: "USD", amountMinor: 20000n, promisedOn: "2026-11-27", coveredMinor: 0n }] });
    expect(text(open)).toContain("  Open promise: USD 200.00 by 27 Nov 2026\n");
  });

  test("the timeline is written for people: money in one format, dates as dates, no field names", () => {
    const entry = (kind: string, subject: string | null, before: Record<string, unknown> | null, after: Record<string, unknown> | null) => ({ at, actor: "import", platform: "cli", kind, subject, before, after });
    const rendered = text(
      card({
        invoiceCurrencies: new Map([["A-1", "USD"]]),
        timeline: [
          entry("invoice_added", "A-1", null, { amount: "5000.00", currency: "USD", issueDate: "2026-08-01", dueDate: "2026-08-31" }),
          entry("payment_received", "A-1", null, { amount: "1200.50", currency: "USD", paidOn: "2026-11-02", reference: null }),
          entry("balance_reported", "A-1", { balance: "3799.50" }, { balance: "3000.00" }),
          entry("promise_recorded", null, null, { amount: "5000.00", currency: "USD", date: "2026-11-27" }),
        ],
        timelinePage: { offset: 0, total: 4, history: false },
      }),
    );
    expect(rendered).toContain("invoice added A-1: USD 5,000.00, issued 1 Aug 2026, due 31 Aug 2026");
    expect(rendered).toContain("payment received A-1: USD 1,200.50, paid on 2 Nov 2026");
    expect(rendered).toContain("balance reported A-1: balance USD 3,799.50 → balance USD 3,000.00");
    expect(rendered).toContain("promise recorded: USD 5,000.00, by 27 Nov 2026");
    expect(rendered).not.toMatch(/dueDate|issueDate|paidOn|5000\.00/);
  });

  test("a cut timeline says how to see it all; a history page says how to reach the next", () => {
    const entries = Array.from({ length: 10 }, () => ({ at, actor: "dana@example.com", platform: "slack", kind: "note_added", subject: null, before: null, after: { text: "called" } }));
    const cut = card({ timeline: entries, timelinePage: { offset: 0, total: 42, history: false } });
    expect(text(cut)).toContain("  Latest 10 of 42 entries: account ACME history shows them all.");
    const page = card({ timeline: entries, timelinePage: { offset: 50, total: 120, history: true } });
    const lines = text(page).split("\n");
    expect(lines[1]).toBe("  Timeline (latest first):");
    expect(lines).not.toContain("  Open promise: none");
    expect(lines[lines.length - 1]).toBe("  Entries 51–60 of 120: account ACME history 7 for the next page.");
  });
});

describe("the Slack account card", () => {
  test("shows the open invoices and a More history button when the timeline is cut", () => {
    const entries = Array.from({ length: 10 }, () => ({ at, actor: "dana@example.com", platform: "slack", kind: "note_added", subject: null, before: null, after: { text: "called" } }));
    const view = buildAccountCardView(
      card({
        openInvoices: [{ number: "A-1", currency: "USD", dueDate: "2026-08-31", daysPastDue: 81, openMinor: 100000n, disputed: true }],
        timeline: entries,
        timelinePage: { offset: 0, total: 11, history: false },
      }),
      "UTC",
    );
    const blocks = renderAccountCard(view, new Map()).blocks;
    const json = JSON.stringify(blocks);
    expect(json).toContain("A-1  due 31 Aug 2026, 81 days past due  USD 1,000.00  disputed");
    const buttons = blocks.flatMap((b) => (b.type === "actions" ? b.elements : [])) as { action_id?: string; value?: string }[];
    expect(buttons.find((b) => b.action_id === "card_history")?.value).toBe(JSON.stringify({ account: "ACME", page: 1 }));
    const unranked = buildAccountCardView(card(), "UTC", { account: null, of: 3 });
    expect(JSON.stringify(renderAccountCard(unranked, new Map()).blocks)).toContain("*Priority:* not in today's digest (no undisputed overdue balance)");
    const whole = buildAccountCardView(card({ timeline: entries, timelinePage: { offset: 0, total: 10, history: false } }), "UTC");
    expect(JSON.stringify(renderAccountCard(whole, new Map()).blocks)).not.toContain("card_history");
  });
});
