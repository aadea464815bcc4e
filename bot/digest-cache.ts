import { BusinessDate } from "../domain/model/business-date";
import { PriorityPolicy } from "../domain/policies/priority";
import { changesNothing, ImportStore, withApply } from "../domain/ports/import-store.port";
import { LedgerReader } from "../domain/ports/ledger-reader.port";
import { UnitOfWork, Workspace } from "../domain/ports/workspace.port";
import { Digest, prepareDigest } from "../domain/usecases/prepare-digest";

/** Where the chat layer and the digest job get a digest for a day. */
export interface DigestSource {
  digest(asOf: BusinessDate): Promise<Digest>;
}

export interface DigestCacheOptions {
  /**
   * How long (real milliseconds) a cached digest may be reused at most; Infinity when every
   * write goes through this process (an embedded database, whose holder takes the other
   * processes' commands). On PostgreSQL a separate process's writes are heard as they commit
   * (`App.hearOtherProcesses`), except behind a pooler in transaction mode and while the
   * listening connection is down: there they show after this bound at the latest.
   */
  maxAgeMs: number;
  /** Days kept (the most recently used); default 4 (today, yesterday's "Show all" pages…). */
  maxDays?: number;
  nowMs?: () => number;
}

/**
 * The digest of each as-of day for this process's organization, computed once per database
 * generation: a burst of `/ar digest` or "Show all" pages shares one computation, and
 * requests made while it runs wait for the same promise. Any write through the wrapped unit of
 * work or import store (`invalidate`) drops every cached day at once, after it committed, so
 * a request that follows a write never sees the digest before it.
 */
export class DigestCache implements DigestSource {
  private readonly entries = new Map<BusinessDate, { at: number; digest: Promise<Digest> }>();
  private generation = 0;
  private readonly nowMs: () => number;

  constructor(
    private readonly deps: { ledger: LedgerReader; priority: PriorityPolicy },
    private readonly options: DigestCacheOptions,
  ) {
    this.nowMs = options.nowMs ?? Date.now;
  }

  digest(asOf: BusinessDate): Promise<Digest> {
    const now = this.nowMs();
    const cached = this.entries.get(asOf);
    if (cached && now - cached.at <= this.options.maxAgeMs) {
      // Most recently used last, so the oldest day is the one dropped.
      this.entries.delete(asOf);
      this.entries.set(asOf, cached);
      return cached.digest;
    }
    const generation = this.generation;
    const digest = prepareDigest(this.deps, asOf, this.deps.priority);
    const entry = { at: now, digest };
    this.entries.delete(asOf);
    this.entries.set(asOf, entry);
    while (this.entries.size > (this.options.maxDays ?? 4)) this.entries.delete(this.entries.keys().next().value!);
    // A failed computation is not remembered: the next request tries again.
    digest.catch(() => {
      if (this.generation === generation && this.entries.get(asOf) === entry) this.entries.delete(asOf);
    });
    return digest;
  }

  /** After a write committed: every day's digest may have changed. */
  invalidate(): void {
    this.generation++;
    this.entries.clear();
  }
}

/**
 * Workspace calls that cannot change a digest: reads, and writes to what the ledger does not
 * hold (identities, escalations, subscriptions, function leads). Every other call, including
 * any added later, counts as a change. `linkIdentity` never changes a user's email or
 * handle, which is all a digest shows of an owner.
 */
const UNCHANGING: ReadonlySet<string> = new Set<keyof Workspace | `users.${keyof Workspace["users"]}`>([
  "findAccounts", "accountById", "findInvoices", "accountFacts", "accountCard", "cardOfExternalId", "lockAccount", "activeClaims", "claimsOfUser",
  "promisesOfUser", "openDisputeOf", "openEscalationsFor", "createEscalation",
  "subscriptionOf", "saveSubscription", "deleteSubscription",
  "users.findByIdentity", "users.findByEmail", "users.findByHandle", "users.findById", "users.linkIdentity", "users.listUsers", "users.leads", "users.setLead",
]);

function watching<T extends object>(target: T, prefix: string, changed: () => void): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (typeof property !== "string") return value;
      if (property === "users" && prefix === "") return watching(value as object, "users.", changed);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (!UNCHANGING.has(prefix + property)) changed();
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}

/**
 * A unit of work that invalidates the digests once a transaction that changed something a
 * digest reads has ended (committed or not). Identifying the person and storing a request's
 * idempotency key, which every chat request does, leave them cached.
 */
export function invalidatingUnitOfWork(inner: UnitOfWork, cache: { invalidate(): void }): UnitOfWork {
  return {
    async run<T>(idempotencyKey: string | null, work: (ws: Workspace) => Promise<T>) {
      let changed = false;
      try {
        return await inner.run(idempotencyKey, (ws) => work(watching(ws, "", () => (changed = true))));
      } finally {
        if (changed) cache.invalidate();
      }
    },
    read: (work) => inner.read(work),
    firstSeen: (key) => inner.firstSeen(key),
  };
}

/**
 * An import store that invalidates the digests once each batch that writes has been applied
 * (a re-import of unchanged rows writes nothing: the digests, and on PostgreSQL the other
 * processes', stay as they are).
 */
export function invalidatingImportStore(inner: ImportStore, cache: { invalidate(): void }): ImportStore {
  return withApply(inner, async (changes, actor, write) => {
    if (changesNothing(changes)) return write(changes, actor);
    try {
      await write(changes, actor);
    } finally {
      cache.invalidate();
    }
  });
}

/** The digest of a day: from the cache when the deps have one, computed otherwise. */
export function digestOf(deps: { ledger: LedgerReader; priority: PriorityPolicy; digests?: DigestSource }, asOf: BusinessDate): Promise<Digest> {
  return deps.digests ? deps.digests.digest(asOf) : prepareDigest(deps, asOf, deps.priority);
}
