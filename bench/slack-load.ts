/**
 * Slack under load (issue 10 item 6): the real `arbot serve` process and an empty Bolt app
 * (acknowledge, then answer "ok" through the response URL) side by side, both against the
 * same fake Slack Web API on 127.0.0.1, receiving the same bursts of signed `/ar` slash
 * commands. Per burst: acknowledgement latency (the HTTP answer to Slack's POST) and reply
 * latency (the POST to the response URL) at p50/p95/p99, and the server's peak RSS. Each
 * scenario runs in rounds, a burst at each server per round, which goes first alternating:
 * one burst's p99 is close to its slowest request, and on a shared 2-core machine the same
 * burst at the empty app varied by 2× between rounds, so percentiles are over every round's
 * requests and each round's ratio is shown beside them.
 */
import { ChildProcess, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import { AddressInfo } from "node:net";
import path from "node:path";
import { App, ExpressReceiver, LogLevel } from "@slack/bolt";

const SECRET = "bench-signing-secret";
const TEAM = "T0BENCH";

export interface LoadRow {
  scenario: string;
  /** Bursts at each server; the percentiles and CPU are over all of their requests. */
  rounds: number;
  /** Each round's reply p99 over the empty app's in the same round. */
  replyRatios: number[];
  ack: Percentiles;
  reply: Percentiles;
  referenceAck: Percentiles;
  referenceReply: Percentiles;
  /** CPU time per request over the burst, ms: the server process, and the local PostgreSQL's processes beside it. */
  cpu: { server: number; database: number };
  referenceCpu: { server: number; database: number };
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

export interface SlackLoadResult {
  rows: LoadRow[];
  /** The arbot server's peak resident memory (VmHWM), MB. */
  serverPeakRssMb: number;
  referencePeakRssMb: number;
}

/** The fake Web API: every method answers ok; response URLs record when each reply arrived. */
async function fakeWebApi(): Promise<{ url: string; replies: Map<string, number>; waiters: Map<string, () => void>; close(): Promise<void> }> {
  const replies = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const url = req.url ?? "";
      if (process.env.BENCH_DEBUG) console.error(`fake web api: ${req.method} ${url} ${body.slice(0, 200)}`);
      const reply = /^\/respond\/(.+)$/.exec(url);
      if (reply) {
        replies.set(reply[1]!, performance.now());
        waiters.get(reply[1]!)?.();
        res.writeHead(200, { "content-type": "text/plain" }).end("ok");
        return;
      }
      const method = url.replace(/^\/api\//, "").split("?")[0];
      if (method === "chat.postEphemeral") {
        // arbot answers a command privately in its channel: the reply to that user's request.
        const user = new URLSearchParams(body).get("user") ?? "";
        replies.set(`user:${user}`, performance.now());
        waiters.get(`user:${user}`)?.();
      }
      const answer: Record<string, unknown> = { ok: true };
      if (method === "auth.test") Object.assign(answer, { team_id: TEAM, user_id: "UBOT", bot_id: "BBOT", team: "Bench", user: "arbot" });
      if (method === "users.info") {
        const id = new URLSearchParams(body).get("user") ?? "U0";
        Object.assign(answer, { user: { id, team_id: TEAM, name: id, real_name: id, profile: { email: `${id.toLowerCase()}@example.com` } } });
      }
      if (method === "conversations.info") Object.assign(answer, { channel: { id: "C0BENCH", is_channel: true, is_ext_shared: false } });
      if (method === "chat.postMessage") Object.assign(answer, { channel: "C0BENCH", ts: `${Date.now() / 1000}` });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, replies, waiters, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** /proc's clock ticks (USER_HZ, 100 on Linux) as ms. */
const TICK_MS = 10;

/** CPU time a process has used, ms (its own, user and system). */
function processCpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "").split(" ");
  // After "pid (comm) ": state is field 3, utime and stime fields 14 and 15.
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/**
 * CPU time of this machine's PostgreSQL processes, ms: the backends alive, and those that
 * ended (counted in their parent's children's time). 0 where none is visible (a database on
 * another machine).
 */
function databaseCpuMs(): number {
  let total = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // ended meanwhile
    }
    if (!/^\d+ \(postgres\)/.test(stat)) continue;
    const fields = stat.replace(/^.*\) /s, "").split(" ");
    total += (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * TICK_MS;
  }
  return total;
}

function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** A server process answering Slack on `/slack/events`, and its port. */
async function startProcess(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ child: ChildProcess; port: number; output(): string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const port = await new Promise<number>((resolve, reject) => {
    const look = (d: Buffer) => {
      output += d.toString("utf8");
      const match = /serving on port (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    child.stdout!.on("data", look);
    child.stderr!.on("data", look);
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited ${code}:\n${output}`)));
  });
  return {
    child,
    port,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** The reference: an empty Bolt 5.1 app, run as its own process like arbot (this file with `--reference`). */
async function referenceServer(apiUrl: string): Promise<void> {
  const receiver = new ExpressReceiver({ signingSecret: SECRET, endpoints: "/slack/events" });
  const app = new App({ token: "xoxb-bench", receiver, tokenVerificationEnabled: false, clientOptions: { slackApiUrl: `${apiUrl}/api/` }, logLevel: LogLevel.ERROR });
  app.command("/ar", async ({ ack, respond }) => {
    await ack();
    await respond({ response_type: "ephemeral", text: "ok" });
  });
  const server = await receiver.start(0);
  process.stderr.write(`serving on port ${(server.address() as AddressInfo).port}\n`);
}

let sequence = 0;
/** Trigger ids are idempotency keys: unique across runs, so a rerun on the same database is not answered as a repeat. */
const RUN = Date.now().toString(36);

/** One signed slash command; resolves with its ack and reply latencies in ms. */
interface Target {
  port: number;
  child: ChildProcess;
  output(): string;
}

async function command(target: Target, api: Awaited<ReturnType<typeof fakeWebApi>>, text: string, user: string): Promise<{ ack: number; reply: number }> {
  const { port } = target;
  const id = `r${++sequence}`;
  const fields = {
    token: "t",
    team_id: TEAM,
    team_domain: "bench",
    channel_id: "C0BENCH",
    channel_name: "finance",
    user_id: user,
    user_name: user,
    command: "/ar",
    text,
    api_app_id: "A0BENCH",
    is_enterprise_install: "false",
    response_url: `${api.url}/respond/${id}`,
    trigger_id: `${sequence}.${RUN}.${id}`,
  };
  const body = new URLSearchParams(fields).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac("sha256", SECRET).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  // Each user has one request in flight: a reply names either its response URL or its user.
  const replied = new Promise<string>((resolve) => {
    api.waiters.set(id, () => resolve(id));
    api.waiters.set(`user:${user}`, () => resolve(`user:${user}`));
  });
  const start = performance.now();
  const response = await fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": String(timestamp), "x-slack-signature": signature },
    body,
  });
  await response.text();
  const ack = performance.now() - start;
  if (response.status !== 200) throw new Error(`/ar ${text}: HTTP ${response.status}`);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`/ar ${text}: no reply in 120 s; the server said:\n${target.output().slice(-3000)}`)), 120_000);
  });
  const key = await Promise.race([replied, late]).finally(() => clearTimeout(timer));
  api.waiters.delete(id);
  api.waiters.delete(`user:${user}`);
  return { ack, reply: api.replies.get(key)! - start };
}

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

interface Burst {
  acks: number[];
  replies: number[];
  /** CPU time over the burst, ms (not per request). */
  cpu: LoadRow["cpu"];
}

async function burst(target: Target, api: Awaited<ReturnType<typeof fakeWebApi>>, texts: string[]): Promise<Burst> {
  const server = processCpuMs(target.child.pid!);
  const database = databaseCpuMs();
  const all = await Promise.all(texts.map((text, i) => command(target, api, text, `U${String(i).padStart(4, "0")}`)));
  return { acks: all.map((r) => r.ack), replies: all.map((r) => r.reply), cpu: { server: processCpuMs(target.child.pid!) - server, database: databaseCpuMs() - database } };
}

/** One scenario's row from its rounds: percentiles over every request, CPU per request. */
function loadRow(scenario: string, mine: Burst[], theirs: Burst[]): LoadRow {
  const requests = mine.reduce((n, b) => n + b.acks.length, 0);
  const perRequest = (bursts: Burst[]) => ({
    server: bursts.reduce((t, b) => t + b.cpu.server, 0) / requests,
    database: bursts.reduce((t, b) => t + b.cpu.database, 0) / requests,
  });
  return {
    scenario,
    rounds: mine.length,
    replyRatios: mine.map((b, i) => percentiles(b.replies).p99 / percentiles(theirs[i]!.replies).p99),
    ack: percentiles(mine.flatMap((b) => b.acks)),
    reply: percentiles(mine.flatMap((b) => b.replies)),
    referenceAck: percentiles(theirs.flatMap((b) => b.acks)),
    referenceReply: percentiles(theirs.flatMap((b) => b.replies)),
    cpu: perRequest(mine),
    referenceCpu: perRequest(theirs),
  };
}

/**
 * Runs the scenarios against `arbot serve` on `databaseUrl` (a migrated, imported
 * portfolio whose account ids `accountIds` names) and against the empty Bolt app.
 */
export async function slackLoadBench(root: string, databaseUrl: string, accountIds: string[], now: Date, rounds: number): Promise<SlackLoadResult> {
  const api = await fakeWebApi();
  const base = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: "0" };
  const arbot = await startProcess(
    // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server.
    [...(process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? []), path.join(root, "dist", "bot", "cli", "arbot.js"), "serve"],
    {
      ...base,
      NODE_ENV: "test", // lets ARBOT_NOW fix the business day to the portfolio's
      ARBOT_NOW: now.toISOString(),
      DATABASE_URL: databaseUrl,
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: `${api.url}/api/`,
      AR_ESCALATION_TIME: "23:59",
    },
    root,
  );
  // A reference that cannot start must not leave arbot serve running behind the bench.
  const reference = await startProcess([__filename, "--reference", api.url], { ...base }, root).catch(async (error: unknown) => {
    await arbot.stop();
    await api.close();
    throw error;
  });
  const account = (i: number) => `account ${accountIds[(i * 7919) % accountIds.length]}`;
  const scenarios: [string, string[]][] = [
    ["/ar account ×20", Array.from({ length: 20 }, (_, i) => account(i))],
    ["/ar account ×100", Array.from({ length: 100 }, (_, i) => account(i))],
    ["/ar account ×100, 1 in 10 /ar digest", Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? "digest" : account(i)))],
    ["/ar digest ×20", Array.from({ length: 20 }, () => "digest")],
  ];
  try {
    // Warm both: the first requests start the database client, compile the handlers and
    // let arbot meet the 100 users (one users.info each, kept afterwards).
    await burst(arbot, api, Array.from({ length: 100 }, (_, i) => account(i)));
    await burst(reference, api, Array.from({ length: 100 }, (_, i) => account(i)));
    const rows: LoadRow[] = [];
    for (const [scenario, texts] of scenarios) {
      const mine: Burst[] = [];
      const theirs: Burst[] = [];
      for (let round = 0; round < rounds; round++) {
        // Which server goes first alternates, so neither always follows the other's burst.
        if (round % 2 === 0) {
          mine.push(await burst(arbot, api, texts));
          theirs.push(await burst(reference, api, texts));
        } else {
          theirs.push(await burst(reference, api, texts));
          mine.push(await burst(arbot, api, texts));
        }
      }
      rows.push(loadRow(scenario, mine, theirs));
    }
    return { rows, serverPeakRssMb: peakRssMb(arbot.child.pid!), referencePeakRssMb: peakRssMb(reference.child.pid!) };
  } finally {
    await Promise.all([arbot.stop(), reference.stop()]);
    await api.close();
  }
}

/**
 * The load from a process of its own: the bench's process has just imported and read the
 * portfolio, and its collector's pauses would count as the servers' latency.
 */
export function slackLoadInChild(root: string, databaseUrl: string, accountIds: string[], now: Date, rounds: number): Promise<SlackLoadResult> {
  return new Promise((resolve, reject) => {
    // The database URL through the environment, not the command line `ps` shows.
    const child = spawn(process.execPath, [__filename, "--load", JSON.stringify({ root, accountIds, now: now.toISOString(), rounds })], {
      cwd: root,
      env: { ...process.env, BENCH_LOAD_DATABASE_URL: databaseUrl },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (d: string) => (output += d));
    child.once("error", reject);
    // "close": its output has all been read.
    child.once("close", (code, signal) => {
      if (code !== 0) return reject(new Error(`the Slack load ended with ${signal ?? `exit code ${code}`}`));
      try {
        resolve(JSON.parse(output) as SlackLoadResult);
      } catch (error) {
        reject(new Error(`the Slack load printed no result: ${(error as Error).message}`));
      }
    });
  });
}

if (process.argv[2] === "--reference") {
  referenceServer(process.argv[3]!).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

if (process.argv[2] === "--load") {
  const { root, accountIds, now, rounds = 1 } = JSON.parse(process.argv[3]!) as { root: string; accountIds: string[]; now: string; rounds?: number };
  slackLoadBench(root, process.env.BENCH_LOAD_DATABASE_URL!, accountIds, new Date(now), rounds).then(
    (result) => process.stdout.write(JSON.stringify(result)),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
