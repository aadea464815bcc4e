import pg from "pg";
import { ChangeFeed, postgresChangeFeed } from "../../../adapters/db/change-feed";
import { eventually } from "../../support/arbot-server";
import { freshSchemaName } from "../../support/test-database";

// PostgreSQL's LISTEN/NOTIFY between processes on one schema; the embedded database has one
// process, which invalidates its own digests (test/e2e/shared-database.test.ts covers both).
const url = process.env.TEST_DATABASE_URL;
const schemas = [freshSchemaName(), freshSchemaName()];
const pools: pg.Pool[] = [];
const stops: (() => Promise<void>)[] = [];

const APPLICATION = `arbot-test-${schemas[0]}`;

/** `connecting`: what each listening connection waits for before it connects (default nothing). */
function processOn(schema: string, connecting: () => Promise<void> = async () => undefined): { feed: ChangeFeed; pool: pg.Pool } {
  const options = { connectionString: url, options: `-c search_path="${schema}"` };
  const pool = new pg.Pool({ ...options, max: 2 });
  pools.push(pool);
  // Named, so that the reconnection tests end this file's listening sessions only.
  const client = () => {
    const made = new pg.Client({ ...options, application_name: APPLICATION });
    const connect = made.connect.bind(made);
    made.connect = (async () => {
      await connecting();
      await connect();
    }) as unknown as typeof made.connect;
    return made;
  };
  return { feed: postgresChangeFeed(pool, client), pool };
}

async function endListeningSessions(): Promise<number> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    return (await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [APPLICATION])).rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

async function listeningSessions(): Promise<number> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    return (await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`, [APPLICATION])).rows[0]!.n;
  } finally {
    await admin.end();
  }
}

async function listening(feed: ChangeFeed): Promise<{ heard: number; log: string[] }> {
  const state = { heard: 0, log: [] as string[] };
  stops.push(await feed.listen(() => state.heard++, (line) => state.log.push(line)));
  return state;
}

beforeAll(async () => {
  if (!url) return;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  for (const schema of schemas) await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.end();
});

afterAll(async () => {
  for (const stop of stops) await stop();
  for (const pool of pools) await pool.end();
  if (!url) return;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
});

test("a process hears the others' changes on its schema, never its own nor another schema's", async () => {
  if (!url) return;
  const server = processOn(schemas[0]!);
  const cron = processOn(schemas[0]!);
  const elsewhere = processOn(schemas[1]!);
  const heard = await listening(server.feed);
  const heardElsewhere = await listening(elsewhere.feed);

  server.feed.announce();
  elsewhere.feed.announce();
  await Promise.all([server.feed.flush(), elsewhere.feed.flush()]);
  cron.feed.announce();
  await cron.feed.flush();
  await eventually(() => heard.heard === 1 || null);
  // A marker announced after the others and heard by both: nothing else is still on its way.
  const marker = processOn(schemas[0]!);
  const markerElsewhere = processOn(schemas[1]!);
  marker.feed.announce();
  markerElsewhere.feed.announce();
  await eventually(() => (heard.heard === 2 && heardElsewhere.heard === 1) || null);
  expect({ server: heard.heard, elsewhere: heardElsewhere.heard }).toEqual({ server: 2, elsewhere: 1 });
}, 60_000);

test("announcements made together are told twice: the first at once, one more for all made while it was on its way", async () => {
  if (!url) return;
  const server = processOn(schemas[0]!);
  const importing = processOn(schemas[0]!);
  const heard = await listening(server.feed);
  // Twenty batches written while the first announcement is on its way: one more after it
  // covers the last of them.
  for (let batch = 0; batch < 20; batch++) importing.feed.announce();
  await importing.feed.flush();
  // Notifications arrive in the order of their commits: once a later process's marker is
  // heard, everything the importer told has been.
  processOn(schemas[0]!).feed.announce();
  await eventually(() => heard.heard === 3 || null);
  expect(heard.heard).toBe(3);
}, 60_000);

test("a lost listening connection is opened again, and the process drops what it may have missed", async () => {
  if (!url) return;
  const server = processOn(schemas[0]!);
  const heard = await listening(server.feed);
  // PostgreSQL ends the listening session (a restart, a network cut).
  expect(await endListeningSessions()).toBeGreaterThanOrEqual(1);
  await eventually(() => heard.log.includes("hearing other processes' changes again") || null, 30_000);
  expect(heard.heard).toBeGreaterThanOrEqual(1);
  // And it hears again.
  const before = heard.heard;
  const other = processOn(schemas[0]!);
  other.feed.announce();
  await eventually(() => heard.heard === before + 1 || null);
}, 60_000);

test("stopping while a lost connection is being opened again leaves no connection behind", async () => {
  if (!url) return;
  for (const stop of stops.splice(0)) await stop();
  expect(await listeningSessions()).toBe(0);
  // Once `holding`, a new listening connection waits before it connects until let go.
  let holding = false;
  let reached!: () => void;
  const atGate = new Promise<void>((resolve) => (reached = resolve));
  let letGo!: () => void;
  const released = new Promise<void>((resolve) => (letGo = resolve));
  const server = processOn(schemas[0]!, () => (holding ? (reached(), released) : Promise.resolve()));
  const log: string[] = [];
  const stop = await server.feed.listen(() => undefined, (line) => log.push(line));
  holding = true;
  expect(await endListeningSessions()).toBe(1);
  await atGate;
  const stopping = stop();
  letGo();
  await stopping;
  expect(await listeningSessions()).toBe(0);
  expect(log).not.toContain("hearing other processes' changes again");
}, 60_000);
