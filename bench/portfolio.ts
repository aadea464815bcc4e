/**
 * A synthetic portfolio as the three CSV exports a finance team would import: accounts
 * (with owner columns), invoices and payments, deterministic for a given size. About 8.5
 * invoices and 5.5 payments per account, like the measured portfolios of issue 10.
 */
import fs from "node:fs";
import path from "node:path";
import { addDays } from "../domain/model/business-date";

export interface PortfolioFiles {
  dir: string;
  accounts: string;
  invoices: string;
  payments: string;
  counts: { accounts: number; invoices: number; payments: number };
}

/** A small deterministic generator, so every run imports the same rows. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function writePortfolio(dir: string, accounts: number, asOf: string): PortfolioFiles {
  fs.mkdirSync(dir, { recursive: true });
  const next = random(accounts);
  const files = { accounts: path.join(dir, "accounts.csv"), invoices: path.join(dir, "invoices.csv"), payments: path.join(dir, "payments.csv") };
  const owners = Array.from({ length: 40 }, (_, i) => `owner${i}@example.com`);
  const accountLines = ["account_id,name,segment,tier,region,finance_owner_email,sales_owner_email,cs_owner_email"];
  const invoiceLines = ["customer_id,customer,invoice_number,issue_date,due_date,amount,currency"];
  const paymentLines = ["invoice_number,paid_on,amount,reference"];
  let invoiceCount = 0;
  for (let a = 0; a < accounts; a++) {
    const id = `C${String(a).padStart(6, "0")}`;
    const name = `Customer ${a}`;
    const pick = () => owners[Math.floor(next() * owners.length)]!;
    accountLines.push(`${id},${name},${["smb", "mid", "enterprise"][a % 3]},${a % 10 === 0 ? "strategic" : ""},${["emea", "amer", "apac"][a % 3]},${pick()},${a % 2 === 0 ? pick() : ""},${a % 4 === 0 ? pick() : ""}`);
    const currency = a % 7 === 0 ? "EUR" : "USD";
    const n = 1 + Math.floor(next() * 16);
    for (let k = 0; k < n; k++) {
      const number = `INV-${String(invoiceCount++).padStart(7, "0")}`;
      const issue = addDays(asOf, -Math.floor(next() * 240));
      const due = addDays(issue, [15, 30, 45, 60][Math.floor(next() * 4)]!);
      const cents = 5_000 + Math.floor(next() * 2_000_000);
      invoiceLines.push(`${id},${name},${number},${issue},${due},${(cents / 100).toFixed(2)},${currency}`);
      // About two in three invoices have a payment, some of them two.
      const paid = next();
      if (paid < 0.65) {
        const parts = paid < 0.2 ? 2 : 1;
        for (let p = 0; p < parts; p++) {
          const on = addDays(issue, Math.min(Math.floor(next() * 90), 239));
          if (on > asOf) continue;
          const amount = Math.floor(cents / (parts + (next() < 0.5 ? 0 : 1)));
          paymentLines.push(`${number},${on},${(amount / 100).toFixed(2)},P-${number}-${p}`);
        }
      }
    }
  }
  fs.writeFileSync(files.accounts, accountLines.join("\n") + "\n");
  fs.writeFileSync(files.invoices, invoiceLines.join("\n") + "\n");
  fs.writeFileSync(files.payments, paymentLines.join("\n") + "\n");
  return { dir, ...files, counts: { accounts, invoices: invoiceLines.length - 1, payments: paymentLines.length - 1 } };
}
