import { AccountKey, AccountRow, Cell, ImportReport, ImportSource, emptyReport } from "../model/imports";
import { FUNCTIONS } from "../model/team";
import { AccountFields, AccountRef, ImportChanges, ImportStore, StoredAccount, StoredClaim, emptyChanges } from "../ports/import-store.port";
import { FirstLines, RowRefused, inBatches, unique } from "./import-batches";
import { ImportOptions } from "./import-invoices";

interface Deps {
  store: ImportStore;
}

interface BatchContext {
  accounts: Map<string, StoredAccount[]>;
  /** Accounts keyed by their name (id = name), by lower-case name: an id-keyed row with that name adopts one. */
  nameKeyed: Map<string, StoredAccount[]>;
  /** Ids of the name-keyed accounts adopted in this run (each once). */
  adopted: Set<number>;
  claims: Map<number, StoredClaim[]>;
  knownEmails: Set<string>;
  keyedByName: boolean;
  /** The file's own header of the name column, for a new account without a name. */
  nameColumn: string;
  warnings: string[];
}

const FIELDS = ["name", "segment", "tier", "region"] as const;

/**
 * Imports an accounts export: creates or updates accounts by id (or by name when the file
 * has no id column) and applies owner columns where no person has claimed that function in
 * chat; a conflicting cell is a warning, an empty one changes nothing.
 */
export async function importAccounts(deps: Deps, source: ImportSource<AccountRow, AccountKey>, options: ImportOptions): Promise<ImportReport> {
  const report = emptyReport("accounts", options.file, options.dryRun);
  report.warnings.push(...source.warnings);
  const firstLines = new FirstLines();
  const createdEmails = new Set<string>();
  const adopted = new Set<number>();
  // Without an account id column, the name is the key (section 6).
  const keyedByName = source.headers.accountId === undefined;
  const nameColumn = source.headers.accountName ?? "name";
  const keyColumn = keyedByName ? nameColumn : source.headers.accountId!;
  const keyCellOf = (key: AccountKey) => (keyedByName ? key.name : key.externalId);
  // Names match ignoring case (as people type them); ids exactly.
  const inFileKey = (cell: Cell<string>) => (keyedByName ? cell.value.toLowerCase() : cell.value);

  for await (const batch of inBatches(source.rows())) {
    report.rows += batch.length;
    const rows = batch.flatMap((item) => ("row" in item ? [item.row] : []));
    const keys = unique(rows.flatMap((r) => (keyedByName ? (r.name ? [r.name.value] : []) : r.externalId ? [r.externalId.value] : [])));
    const stored = keyedByName ? await deps.store.accountsByName(keys) : await deps.store.accountsByExternalId(keys);
    const accounts = new Map<string, StoredAccount[]>();
    for (const account of stored) {
      const key = keyedByName ? account.name.toLowerCase() : account.externalId;
      accounts.set(key, [...(accounts.get(key) ?? []), account]);
    }
    // A name-keyed account is created with its name as id: reuse one that already has it.
    if (keyedByName) {
      for (const account of await deps.store.accountsByExternalId(keys)) {
        if (!accounts.has(account.externalId.toLowerCase())) accounts.set(account.externalId.toLowerCase(), [account]);
      }
    }
    // Accounts created from a name-keyed invoices file have their name as id: a row with a
    // new id and that name is the same customer, now with its id.
    const nameKeyed = new Map<string, StoredAccount[]>();
    if (!keyedByName) {
      const names = unique(rows.flatMap((r) => (r.externalId && r.name && !accounts.has(r.externalId.value) ? [r.name.value] : [])));
      for (const account of await deps.store.accountsByName(names)) {
        if (account.externalId.toLowerCase() !== account.name.toLowerCase() || adopted.has(account.id)) continue;
        const key = account.name.toLowerCase();
        nameKeyed.set(key, [...(nameKeyed.get(key) ?? []), account]);
      }
    }
    const claims = new Map<number, StoredClaim[]>();
    const found = unique([...accounts.values(), ...nameKeyed.values()].flat().map((a) => a.id));
    for (const claim of await deps.store.activeClaims(found)) {
      claims.set(claim.accountId, [...(claims.get(claim.accountId) ?? []), claim]);
    }
    const emails = unique(rows.flatMap((r) => Object.values(r.owners).map((c) => c!.value)));
    const knownEmails = new Set([...(await deps.store.existingUserEmails(emails)), ...createdEmails]);
    const context: BatchContext = { accounts, nameKeyed, adopted, claims, knownEmails, keyedByName, nameColumn, warnings: report.warnings };

    const changes = emptyChanges();
    // In file order, so that a refused row's key counts as seen from its own line on.
    for (const item of batch) {
      if ("rejection" in item) {
        report.rejected.push(item.rejection);
        const keyCell = keyCellOf(item.key);
        if (keyCell) firstLines.see(inFileKey(keyCell), item.rejection.line);
        continue;
      }
      const row = item.row;
      try {
        const keyCell = keyCellOf(row);
        if (!keyCell) throw new RowRefused(keyColumn, "", `${keyedByName ? "name" : "account id"} is required`);
        const key = inFileKey(keyCell);
        const earlier = firstLines.see(key, row.line);
        if (earlier !== undefined) throw new RowRefused(keyCell.column, keyCell.text, `account repeated: first on line ${earlier}`);
        report[applyRow(row, keyCell.value, key, context, changes)]++;
      } catch (error) {
        if (!(error instanceof RowRefused)) throw error;
        report.rejected.push({ line: row.line, column: error.column, value: error.value, reason: error.message });
      }
    }
    for (const user of changes.newUsers) createdEmails.add(user.email);
    if (!options.dryRun) await deps.store.apply(changes, options.actor);
    options.onProgress?.(report.rows);
  }
  report.rejected.sort((a, b) => a.line - b.line);
  return report;
}

function applyRow(row: AccountRow, key: string, lookupKey: string, context: BatchContext, changes: ImportChanges): "created" | "updated" | "unchanged" {
  const matches = context.accounts.get(lookupKey) ?? [];
  if (matches.length > 1) throw new RowRefused(row.name!.column, row.name!.text, "several accounts have this name; add an account id column");
  let existing = matches[0];
  let ref: AccountRef;
  let changed = false;
  let adopting = false;
  if (!existing && !context.keyedByName && row.name) {
    const candidates = (context.nameKeyed.get(row.name.value.toLowerCase()) ?? []).filter((a) => !context.adopted.has(a.id));
    if (candidates.length === 1) {
      existing = candidates[0]!;
      adopting = true;
      context.adopted.add(existing.id);
    }
  }
  if (!existing) {
    if (!row.name) throw new RowRefused(context.nameColumn, "", "a new account needs a name");
    const fields: AccountFields = { name: row.name.value, segment: row.segment?.value ?? null, tier: row.tier?.value ?? null, region: row.region?.value ?? null };
    ref = { externalId: key };
    changes.newAccounts.push({ externalId: key, ...fields });
    changes.activities.push({ account: ref, kind: "account_created", subject: null, before: null, after: { ...fields } });
    changed = true;
  } else {
    ref = { id: existing.id };
    const data: Partial<AccountFields & { externalId: string }> = adopting ? { externalId: key } : {};
    for (const field of FIELDS) {
      const cell = row[field];
      // Found by its id (a name-keyed file naming an account whose id is that name): the
      // file's key is not a new name for it.
      if (field === "name" && context.keyedByName && cell && cell.value.toLowerCase() !== existing.name.toLowerCase()) continue;
      if (cell && cell.value !== existing[field]) data[field] = cell.value;
    }
    if (Object.keys(data).length > 0) {
      const before = Object.fromEntries(Object.keys(data).map((f) => [f, existing[f as keyof typeof data]]));
      changes.accountUpdates.push({ id: existing.id, data });
      changes.activities.push({ account: ref, kind: "account_updated", subject: null, before, after: { ...data } });
      changed = true;
    }
  }

  const active = existing ? context.claims.get(existing.id) ?? [] : [];
  for (const fn of FUNCTIONS) {
    const cell = row.owners[fn];
    if (!cell) continue;
    const current = active.find((c) => c.function === fn);
    if (current && current.userEmail === cell.value) continue;
    if (current && current.source === "chat") {
      context.warnings.push(
        `line ${row.line}: ${key} keeps its ${fn} owner ${current.userEmail ?? current.userHandle} (claimed in chat); the file names ${cell.value}`,
      );
      continue;
    }
    if (!context.knownEmails.has(cell.value)) {
      changes.newUsers.push({ email: cell.value, role: fn });
      context.knownEmails.add(cell.value);
    }
    changes.claims.push({ account: ref, function: fn, userEmail: cell.value, replacesClaimId: current?.id ?? null });
    changes.activities.push({
      account: ref,
      kind: current ? "owner_changed" : "owner_assigned",
      subject: fn,
      before: current ? { owner: current.userEmail ?? current.userHandle } : null,
      after: { owner: cell.value },
    });
    changed = true;
  }
  return !existing ? "created" : changed ? "updated" : "unchanged";
}
