import { runImport } from "../../../bot/run-import";
import { csv, writeCsv } from "../../support/csv-files";
import { snapshotOfData } from "../../support/db-counts";
import { useTestApp } from "../../support/test-app";

const t = useTestApp("2026-11-20T12:00:00Z");
const HEADER = "account_id,account_name,segment,tier,region,finance_owner_email,sales_owner_email";

async function owners(externalId: string) {
  const claims = await t.app.db.prisma.ownershipClaim.findMany({
    where: { account: { externalId }, releasedAt: null },
    include: { user: true },
    orderBy: { function: "asc" },
  });
  return Object.fromEntries(claims.map((c) => [c.function, c.user.email]));
}

test("accounts are created, then updated field by field; an unchanged file writes nothing", async () => {
  const file = writeCsv("a.csv", csv(HEADER, "C1,Acme Corp,enterprise,strategic,NA,dana@example.com,", "C2,Globex,smb,,EMEA,,sam@example.com"));
  expect(await runImport(t.app, "accounts", file)).toMatchObject({ created: 2, rejected: [] });
  expect(await owners("C1")).toEqual({ finance: "dana@example.com" });
  expect(await owners("C2")).toEqual({ sales: "sam@example.com" });
  const dana = await t.app.db.prisma.user.findUnique({ where: { email: "dana@example.com" } });
  expect(dana).toMatchObject({ role: "finance" });

  const before = await snapshotOfData(t.app.db.prisma);
  expect(await runImport(t.app, "accounts", file)).toMatchObject({ unchanged: 2 });
  expect(await snapshotOfData(t.app.db.prisma)).toEqual(before);

  const changed = await runImport(t.app, "accounts", writeCsv("b.csv", csv(HEADER, "C1,Acme Corporation,,,,,")));
  expect(changed).toMatchObject({ updated: 1 });
  const acme = await t.app.db.prisma.account.findUnique({ where: { externalId: "C1" } });
  expect(acme).toMatchObject({ name: "Acme Corporation", tier: "strategic", region: "NA" }); // empty cells change nothing
  expect(await owners("C1")).toEqual({ finance: "dana@example.com" });
});

test("an owner cell never overrides a claim made in chat: it is a warning", async () => {
  await runImport(t.app, "accounts", writeCsv("a.csv", csv(HEADER, "C1,Acme,,,,,")));
  const account = await t.app.db.prisma.account.findUniqueOrThrow({ where: { externalId: "C1" } });
  const lee = await t.app.db.prisma.user.create({ data: { handle: "lee@example.com", email: "lee@example.com", role: "finance" } });
  await t.app.db.prisma.ownershipClaim.create({ data: { accountId: account.id, function: "finance", userId: lee.id, source: "chat", claimedAt: new Date() } });

  const report = await runImport(t.app, "accounts", writeCsv("b.csv", csv(HEADER, "C1,Acme,,,,dana@example.com,")));
  expect(report.unchanged).toBe(1);
  expect(report.warnings).toEqual(["line 2: C1 keeps its finance owner lee@example.com (claimed in chat); the file names dana@example.com"]);
  expect(await owners("C1")).toEqual({ finance: "lee@example.com" });
});

test("a name-keyed file naming an account whose id is that name keeps its name and its chat claim", async () => {
  await runImport(t.app, "accounts", writeCsv("a.csv", csv(HEADER, "Globex,Globex Corporation,,,,,")));
  const account = await t.app.db.prisma.account.findUniqueOrThrow({ where: { externalId: "Globex" } });
  const lee = await t.app.db.prisma.user.create({ data: { handle: "lee@example.com", email: "lee@example.com", role: "finance" } });
  await t.app.db.prisma.ownershipClaim.create({ data: { accountId: account.id, function: "finance", userId: lee.id, source: "chat", claimedAt: new Date() } });

  const report = await runImport(t.app, "accounts", writeCsv("b.csv", csv("customer,tier,finance_owner_email", "Globex,strategic,dana@example.com")));
  expect(report).toMatchObject({ updated: 1, rejected: [] });
  expect(report.warnings).toEqual(["line 2: Globex keeps its finance owner lee@example.com (claimed in chat); the file names dana@example.com"]);
  expect(await owners("Globex")).toEqual({ finance: "lee@example.com" });
  expect(await t.app.db.prisma.account.findUniqueOrThrow({ where: { externalId: "Globex" } })).toMatchObject({ name: "Globex Corporation", tier: "strategic" });
  expect(await t.app.db.prisma.account.count()).toBe(1);
});

test("an owner set by an earlier import is replaced, with the change on the timeline", async () => {
  await runImport(t.app, "accounts", writeCsv("a.csv", csv(HEADER, "C1,Acme,,,,dana@example.com,")));
  await runImport(t.app, "accounts", writeCsv("b.csv", csv(HEADER, "C1,Acme,,,,lee@example.com,")));
  expect(await owners("C1")).toEqual({ finance: "lee@example.com" });
  const change = await t.app.db.prisma.activity.findFirst({ where: { kind: "owner_changed" } });
  expect(change).toMatchObject({ subject: "finance", before: { owner: "dana@example.com" }, after: { owner: "lee@example.com" } });
});

test("without an id column the name is the key; bad emails and repeated keys are rejected", async () => {
  const report = await runImport(t.app, "accounts", writeCsv("n.csv", csv("customer,tier,finance_owner_email", "Acme,gold,not-an-email", "Initech,silver,", "Initech,gold,", ",gold,")));
  expect(report.rejected.map((r) => [r.line, r.column, r.reason])).toEqual([
    [2, "finance_owner_email", "not an email address"],
    [4, "customer", "account repeated: first on line 3"],
    [5, "customer", "name is required"],
  ]);
  expect(await t.app.db.prisma.account.findUnique({ where: { externalId: "Initech" } })).toMatchObject({ name: "Initech", tier: "silver" });
});

test("an account id repeated after a row refused for a bad email is still a repeat; empty keys name the file's own columns", async () => {
  const file = writeCsv("h.csv", csv("Account Number,Company,Finance Owner Email", "C1,Acme,not-an-email", "C1,Acme,dana@example.com", ",Globex,", "C2,,"));
  const dry = await runImport(t.app, "accounts", file, { dryRun: true });
  const real = await runImport(t.app, "accounts", file);
  expect({ ...dry, dryRun: false }).toEqual(real);
  expect(real.rejected.map((r) => [r.line, r.column, r.reason])).toEqual([
    [2, "Finance Owner Email", "not an email address"],
    [3, "Account Number", "account repeated: first on line 2"],
    [4, "Account Number", "account id is required"],
    [5, "Company", "a new account needs a name"],
  ]);
  expect(await t.app.db.prisma.account.count()).toBe(0);
});

test("an accounts file with an id and the name of a name-keyed account adopts it: invoices, owners and timeline kept", async () => {
  await runImport(t.app, "invoices", writeCsv("i.csv", csv("customer,invoice_number,issue_date,due_date,amount", "Cooper Hardware,CH-1,2026-09-01,2026-10-01,800.00", "Globex,G-1,2026-09-01,2026-10-01,50.00")));
  await runImport(t.app, "accounts", writeCsv("o.csv", csv("name,sales_owner_email", "Cooper Hardware,sam@example.com")));
  const [before] = await t.app.imports.accountsByExternalId(["Cooper Hardware"]);
  const timeline = await t.app.db.prisma.activity.count({ where: { accountId: before!.id } });

  const dryRun = await runImport(t.app, "accounts", writeCsv("d.csv", csv(HEADER, "CUST-77,cooper hardware,smb,,NA,dana@example.com,")), { dryRun: true });
  expect(dryRun).toMatchObject({ created: 0, updated: 1 });
  expect(await t.app.imports.accountsByExternalId(["CUST-77"])).toEqual([]);

  const report = await runImport(t.app, "accounts", writeCsv("a.csv", csv(HEADER, "CUST-77,Cooper Hardware,smb,,NA,dana@example.com,", "CUST-78,Cooper Hardware,smb,,NA,,")));
  expect(report).toMatchObject({ created: 1, updated: 1, rejected: [] });
  const [adopted] = await t.app.imports.accountsByExternalId(["CUST-77"]);
  expect(adopted).toMatchObject({ id: before!.id, name: "Cooper Hardware", segment: "smb", region: "NA" });
  expect(await t.app.imports.accountsByExternalId(["Cooper Hardware"])).toEqual([]);
  expect((await t.app.imports.invoicesByNumber(["CH-1"]))[0]).toMatchObject({ accountId: before!.id, accountExternalId: "CUST-77" });
  expect(await owners("CUST-77")).toEqual({ finance: "dana@example.com", sales: "sam@example.com" });
  const update = await t.app.db.prisma.activity.findFirst({ where: { accountId: before!.id, kind: "account_updated" } });
  expect(update).toMatchObject({ before: { externalId: "Cooper Hardware" }, after: { externalId: "CUST-77" } });
  expect(await t.app.db.prisma.activity.count({ where: { accountId: before!.id } })).toBeGreaterThan(timeline);
  // An account that already has a real id is never taken over by another id.
  const globex = await runImport(t.app, "accounts", writeCsv("g.csv", csv(HEADER, "GLX-1,Globex,,,,,", "GLX-2,Globex,,,,,")));
  expect(globex).toMatchObject({ updated: 1, created: 1 });
  expect((await t.app.imports.accountsByExternalId(["GLX-1"]))[0]!.id).toBe((await t.app.imports.invoicesByNumber(["G-1"]))[0]!.accountId);
});
