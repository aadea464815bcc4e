import pg from "pg";
import { csv, writeCsv } from "../support/csv-files";
import { CliDatabase, freshCliDatabase, runArbot } from "../support/cli";

let db: CliDatabase;
beforeEach(async () => {
  db = await freshCliDatabase();
});
afterEach(() => db.cleanup());

/** arbot's import turn on PostgreSQL: the advisory lock (class "arbt", the name and schema) of `DirectSql.exclusive`. */
const IMPORT_TURN = `1634886260, hashtext('import ' || current_schema())`;

test("on PostgreSQL an import waits, saying so, while another process imports into the same database", async () => {
  // On the embedded database a second process cannot open the folder: its command is
  // forwarded to the one holding it, where imports take turns in the process
  // (test/integration/imports/concurrent-imports.test.ts).
  if (db.dataDir) return;
  const url = new URL(db.env.DATABASE_URL!);
  const schema = url.searchParams.get("schema")!;
  url.searchParams.delete("schema");
  // Another import's turn, held by this test as an arbot process would hold it.
  const other = new pg.Client({ connectionString: url.toString(), options: `-c search_path="${schema}"` });
  await other.connect();
  try {
    await other.query(`SELECT pg_advisory_lock(${IMPORT_TURN})`);
    const file = writeCsv("inv.csv", csv("customer_id,customer,invoice_number,issue_date,due_date,amount", "C1,Acme,I1,2026-06-01,2026-07-01,1000.00"));
    const importing = runArbot(["import", "invoices", file], { env: db.env });
    // Let go only once the import is queued behind the turn: PostgreSQL shows it waiting.
    const waiters = async () =>
      (
        await other.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND classid::bigint = 1634886260 AND objid::bigint = (hashtext('import ' || current_schema())::bigint & 4294967295)`,
        )
      ).rows[0]!.n;
    let ended: { status: number | null; stderr: string } | null = null;
    void importing.then((result) => (ended = result));
    while (!ended && (await waiters()) === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ended).toBeNull(); // it did not import without waiting its turn
    await other.query(`SELECT pg_advisory_unlock(${IMPORT_TURN})`);
    const result = await importing;
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`another import is writing to this database; waiting for it to finish before importing ${file}`);
    expect(result.stdout).toContain("1 created");
  } finally {
    await other.end();
  }
}, 60_000);
