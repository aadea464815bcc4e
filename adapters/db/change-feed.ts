import { randomUUID } from "node:crypto";
import type pg from "pg";

/**
 * Tells the other arbot processes on one PostgreSQL schema that the ledger changed, and hears
 * them: an `arbot import` from cron, or a second server, writes behind a server's back, whose
 * cached digests (bot/digest-cache.ts) would otherwise show the change only once they expire.
 * PostgreSQL's LISTEN/NOTIFY, on the channel below with the schema and the sending process
 * as payload: a process ignores its own announcements (it invalidated already) and other
 * schemas' (each organization, each test file, is a schema of its own).
 */
export interface ChangeFeed {
  /** After a write committed: tells the other processes (never fails; they still see it within the cache's bound). */
  announce(): void;
  /** Resolves once no announcement is on its way (before the pool closes). */
  flush(): Promise<void>;
  /**
   * Calls `changed` whenever another process announces a change, from now until the returned
   * stop is called. A lost connection is opened again, and `changed` called once it is (what
   * was announced meanwhile was not heard).
   */
  listen(changed: () => void, log: (line: string) => void): Promise<() => Promise<void>>;
}

const CHANNEL = "arbot_ledger_changed";
/** Waits before opening a lost listening connection again, growing to the last. */
const RECONNECT_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * `connect` makes the listening connection, one of its own outside the pool; null behind a
 * pooler in transaction mode, which cannot keep a LISTEN (the others still hear this one).
 */
export function postgresChangeFeed(pool: pg.Pool, connect: (() => pg.Client) | null): ChangeFeed {
  const me = randomUUID();
  // Announcements coalesce: one in flight, at most one more after it (a batch import makes
  // one per batch of 1 000 rows; the listeners only need to know that something changed).
  let sending: Promise<void> | null = null;
  let again = false;
  const send = (): void => {
    again = false;
    sending = pool
      .query("SELECT pg_notify($1, current_schema() || ' ' || $2)", [CHANNEL, me])
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        sending = null;
        if (again) send();
      });
  };
  return {
    announce() {
      if (sending) again = true;
      else send();
    },
    async flush() {
      while (sending) await sending;
    },
    async listen(changed, log) {
      if (!connect) {
        log("behind a connection pooler (pgbouncer=true) arbot cannot hear other processes' writes: its digests show them within a minute");
        return async () => undefined;
      }
      const connectNew = connect;
      let client: pg.Client | null = null;
      let stopped = false;
      let attempt = 0;
      let retry: NodeJS.Timeout | null = null;
      const open = async (): Promise<void> => {
        const next = connectNew();
        next.on("error", (error) => log(`PostgreSQL closed the connection that hears other processes' changes: ${error.message}`));
        next.on("end", () => {
          if (client !== next || stopped) return;
          client = null;
          later();
        });
        try {
          await next.connect();
          const [{ schema }] = (await next.query<{ schema: string }>("SELECT current_schema() AS schema")).rows as [{ schema: string }];
          next.on("notification", (message) => {
            if (message.channel !== CHANNEL || message.payload === undefined) return;
            const cut = message.payload.lastIndexOf(" ");
            if (message.payload.slice(0, cut) === schema && message.payload.slice(cut + 1) !== me) changed();
          });
          await next.query(`LISTEN ${CHANNEL}`);
        } catch (error) {
          await next.end().catch(() => undefined);
          throw error;
        }
        client = next;
      };
      const later = () => {
        const wait = RECONNECT_MS[Math.min(attempt++, RECONNECT_MS.length - 1)]!;
        retry = setTimeout(() => {
          retry = null;
          if (stopped) return;
          open().then(
            () => {
              attempt = 0;
              log("hearing other processes' changes again");
              changed();
            },
            (error: Error) => {
              log(`cannot hear other processes' changes yet (${error.message}); trying again`);
              later();
            },
          );
        }, wait);
        retry.unref();
      };
      await open().catch((error: Error) => {
        log(`cannot hear other processes' changes yet (${error.message}); trying again`);
        later();
      });
      return async () => {
        stopped = true;
        if (retry) clearTimeout(retry);
        const last = client;
        client = null;
        await last?.end().catch(() => undefined);
      };
    },
  };
}
