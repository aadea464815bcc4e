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
/** How often the listening connection is asked whether it is still there, and how long it may take to say so. */
const HEARTBEAT_MS = 60_000;
const HEARTBEAT_TIMEOUT_MS = 10_000;

/** The socket under a pg client: closing it ends the client at once, whatever the other side does. */
function destroy(client: pg.Client): void {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

/** Ends a client politely, or closes its socket when the other side does not answer within a second. */
async function closeSoon(client: pg.Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(() => resolve(destroy(client)), 1_000)));
  await Promise.race([client.end().catch(() => undefined), late]);
  clearTimeout(timer);
}

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
      let opening: Promise<void> | null = null;
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
          await closeSoon(next);
          throw error;
        }
        // Stopped while it opened: it must not keep the process alive.
        if (stopped) await closeSoon(next);
        else client = next;
      };
      const attemptOpen = (): Promise<boolean> => {
        const opened = open().then(
          () => !stopped,
          (error: Error) => {
            if (!stopped) log(`cannot hear other processes' changes yet (${error.message}); trying again`);
            return false;
          },
        );
        opening = opened.then(() => undefined);
        return opened;
      };
      const later = () => {
        if (stopped) return;
        const wait = RECONNECT_MS[Math.min(attempt++, RECONNECT_MS.length - 1)]!;
        retry = setTimeout(() => {
          retry = null;
          if (stopped) return;
          void attemptOpen().then((opened) => {
            if (stopped) return;
            if (!opened) return later();
            attempt = 0;
            log("hearing other processes' changes again");
            changed();
          });
        }, wait);
        retry.unref();
      };
      // A connection dropped without a word (a NAT's idle timeout, a failover) never ends by
      // itself: a query now and then finds it out, and its socket is closed, which reopens it.
      const heartbeat = setInterval(() => {
        const current = client;
        if (!current) return;
        const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no answer in 10 s")), HEARTBEAT_TIMEOUT_MS).unref());
        Promise.race([current.query("SELECT 1"), timeout]).catch((error: Error) => {
          if (client !== current || stopped) return;
          log(`the connection that hears other processes' changes stopped answering (${error.message}); opening another`);
          destroy(current);
        });
      }, HEARTBEAT_MS);
      heartbeat.unref();
      if (!(await attemptOpen())) later();
      return async () => {
        stopped = true;
        clearInterval(heartbeat);
        if (retry) clearTimeout(retry);
        await opening;
        const last = client;
        client = null;
        if (last) await closeSoon(last);
      };
    },
  };
}
