import { renderAccountText } from "../../../../adapters/shell/text-reply";
import { buildAccountCardView } from "../../../../bot/views/account-card-view";
import { AccountCard } from "../../../../domain/usecases/get-account-card";

const card = (fields: Partial<AccountCard> = {}): AccountCard => ({
  account: { id: 1, externalId: "ACME", name: "Acme Corp", segment: null, tier: null, region: null },
  asOf: "2026-11-20",
  balances: [{ currency: "USD", open: 150000n, overdue: 150000n, disputed: 100000n, maxDaysPastDue: 81 }],
  owners: [],
  openPromises: [],
  disputes: [],
  timeline: [],
  ...fields,
});

describe("the terminal account card", () => {
  test("says that overdue includes disputed invoices when the account has disputes (section 7)", () => {
    const disputed = card({
      disputes: [{ id: 1, invoiceId: 1, invoiceNumber: "A-1", accountId: 1, reason: "wrong price", openedBy: "dana@example.com", openedAt: new Date("2026-11-20T12:00:00Z"), openedOn: "2026-11-20" }],
    });
    const lines = renderAccountText(buildAccountCardView(disputed, "UTC")).split("\n");
    expect(lines[1]).toBe("  USD: open USD 1,500.00, overdue USD 1,500.00 incl. disputed (up to 81 days past due), disputed USD 1,000.00");
    expect(lines).toContain("  Disputes: A-1: “wrong price” (dana@example.com, since 20 Nov 2026)");
  });

  test("without disputes, overdue needs no note", () => {
    const plain = card({ balances: [{ currency: "USD", open: 150000n, overdue: 50000n, disputed: 0n, maxDaysPastDue: 51 }] });
    expect(renderAccountText(buildAccountCardView(plain, "UTC")).split("\n")[1]).toBe("  USD: open USD 1,500.00, overdue USD 500.00 (up to 51 days past due), disputed USD 0.00");
  });
});
