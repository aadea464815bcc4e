import { spawn } from "node:child_process";
import { ARBOT, ROOT, runArbot } from "../../support/cli";
import { eventually } from "../../support/arbot-server";
import { writeCsv } from "../../support/csv-files";
import { actionExecute, botAdded, botRemoved, FINANCE_CHANNEL, GENERAL, GROUP_CHAT, message } from "../../support/teams-activities";
import { actionsOf, cardOf, cardText, postActivity, TeamsHarness, user } from "../../support/teams-harness";

/** The oldest documented Teams message limit (about 28 KB, see ../shared/fixtures/teams/adaptive-card-and-message-limits.md); the fake answers 413 above it. */
const LIMIT = 28_000;
const GONE = "19:goneChannel@thread.skype";
const GONE_TEAM = "19:goneTeam@thread.skype";
const OVERDUE_ACCOUNTS = 500;

/** 500 overdue accounts with long, accented names, so the digest needs splitting and paging. */
async function importManyAccounts(env: Record<string, string>): Promise<void> {
  const lines = ["customer_id,customer,invoice_number,issue_date,due_date,amount,currency"];
  for (let i = 0; i < OVERDUE_ACCOUNTS; i++) {
    const id = `BIG${String(i).padStart(4, "0")}`;
    lines.push(`${id},Société Générale d'Équipements Industriels et Logistiques ${i},${id}-INV,2026-08-01,2026-09-${String(1 + (i % 28)).padStart(2, "0")},${1000 + i}.50,${i % 3 === 0 ? "EUR" : "USD"}`);
  }
  const result = await runArbot(["import", "invoices", writeCsv("big.csv", lines.join("\n") + "\n"), "--json"], { env });
  if (result.status !== 0) throw new Error(result.stderr);
}

const h = new TeamsHarness();
beforeAll(async () => {
  h.connector.sizeLimit = LIMIT;
  await h.start({ env: { AR_DIGEST_TOP: "20" }, beforeServe: importManyAccounts });
  await h.send(botAdded(h.serviceUrl, user("dana"), { kind: "channel", channel: GENERAL }));
  for (const [where, text] of [
    [{ kind: "channel" as const, channel: FINANCE_CHANNEL }, "subscribe finance at 09:00"],
    [{ kind: "groupChat" as const, chat: GROUP_CHAT }, "subscribe all at 23:00"],
    [{ kind: "channel" as const, channel: GONE, team: GONE_TEAM }, "subscribe"],
  ] as const) {
    const answer = await h.send(message(h.serviceUrl, user("dana"), text, where));
    expect(String(answer.calls.find((c) => c.kind === "reply")?.body.text)).toMatch(/subscribed|digest/i);
  }
  // arbot removed from the team of the third channel: its conversations are disabled.
  await h.send(botRemoved(h.serviceUrl, user("dana"), { kind: "channel", channel: GONE_TEAM, team: GONE_TEAM }));
}, 240_000);
afterAll(() => h.stop());

const digestPosts = (conversation: string, since = 0) => h.connector.calls.slice(since).filter((c) => c.kind === "send" && c.conversationId === conversation);
const sendJson = async (env: Record<string, string>) => {
  const result = await runArbot(["digest", "--send", "--json"], { env });
  if (result.status !== 0) throw new Error(result.stderr);
  return { channels: JSON.parse(result.stdout).channels as Record<string, string>, stderr: result.stderr };
};

test("installed and subscribed in a channel of the team (not General), the server posts the day's digest there through the stored reference, split under the size limit", async () => {
  // The scheduler checks at start: 09:00 has passed on this Friday at 10:00.
  await h.restart();
  const posts = await eventually(() => (digestPosts(FINANCE_CHANNEL).length >= 2 ? digestPosts(FINANCE_CHANNEL) : null), 30_000);
  expect(posts[0]!.body.text).toMatch(/^Overdue digest — 20 Nov 2026: \d+ accounts.*\(part 1 of \d+\)$/);
  const parts = Number(/part 1 of (\d+)/.exec(String(posts[0]!.body.text))![1]);
  expect(posts).toHaveLength(parts);
  for (const post of posts) {
    expect(post.bytes).toBeLessThan(LIMIT);
    expect(cardOf(post).version).toBe("1.5");
  }
  // Every one of the 20 top accounts is on one of the parts, each with its buttons.
  const claims = posts.flatMap((p) => actionsOf(cardOf(p)).filter((a) => a.title === "Claim"));
  expect(claims).toHaveLength(20);
  expect(cardText(cardOf(posts.at(-1)!))).toMatch(/Show all \d{3}/);
  // The group chat's digest is due at 23:00: not yet.
  expect(digestPosts(GROUP_CHAT)).toEqual([]);
  // The channel arbot was removed from fails for good; dana, who subscribed it, hears in a new 1:1 chat.
  const created = await eventually(() => h.connector.calls.find((c) => c.kind === "createConversation"));
  expect(created.body.members).toEqual([{ id: "aad-dana", name: "" }]);
  const dm = await eventually(() => h.connector.calls.find((c) => c.kind === "send" && c.conversationId?.startsWith("a:dm-")));
  expect(String(dm.body.text)).toContain(`could not be posted in a Teams channel you subscribed (${GONE}): bot_removed`);
}, 120_000);

test("Show all pages through all 500 accounts, each page under the size limit", async () => {
  const posts = digestPosts(FINANCE_CHANNEL);
  const last = posts.at(-1)!;
  const showAll = actionsOf(cardOf(last)).find((a) => /^Show all/.test(String(a.title)))!;
  const data = showAll.data as Record<string, unknown>;
  const answer = await postActivity(h.server.baseUrl, actionExecute(h.serviceUrl, user("dana"), { ...data, offset: 500 }, { kind: "channel", channel: FINANCE_CHANNEL }, last.responseId!));
  const page = (answer.body as { value: unknown }).value;
  expect(cardText(page)).toMatch(/Accounts 501–\d+ of \d+/);
  expect(Buffer.byteLength(JSON.stringify(answer.body))).toBeLessThan(LIMIT);
  expect(actionsOf(page).some((a) => a.title === "Previous")).toBe(true);
}, 60_000);

test("arbot digest --send serves the channels not yet served today, on both the server's and the command line's runs", async () => {
  await h.server.stop();
  const since = h.connector.calls.length;
  const { channels } = await sendJson(h.env);
  expect(channels).toEqual({ [FINANCE_CHANNEL]: "already_served", [GROUP_CHAT]: "posted", [GONE]: "failed" });
  expect(digestPosts(FINANCE_CHANNEL, since)).toEqual([]);
  expect(digestPosts(GROUP_CHAT, since).length).toBeGreaterThanOrEqual(1);
}, 120_000);

test("a Connector answering 413 fails the run for good and tells the subscriber; 5xx leaves it for a retry", async () => {
  const monday = { ...h.env, ARBOT_NOW: "2026-11-23T10:00:00Z" };
  h.connector.override((c) => (c.kind === "send" && c.conversationId === FINANCE_CHANNEL ? { status: 413, body: { error: { code: "MessageSizeTooBig", message: "Message size too big" } } } : null));
  h.connector.override((c) => (c.kind === "send" && c.conversationId === GROUP_CHAT ? { status: 503, body: { error: { code: "ServiceError", message: "unavailable" } } } : null));
  const first = await sendJson(monday);
  expect(first.channels[FINANCE_CHANNEL]).toBe("failed");
  expect(first.channels[GROUP_CHAT]).toBe("retry");
  h.connector.clearOverrides();
  const since = h.connector.calls.length;
  const second = await sendJson(monday);
  expect(second.channels[FINANCE_CHANNEL]).toBe("failed");
  expect(second.channels[GROUP_CHAT]).toBe("posted");
  expect(digestPosts(FINANCE_CHANNEL, since)).toEqual([]);
  expect(h.connector.calls.some((c) => c.kind === "send" && String(c.body.text).includes("MessageSizeTooBig"))).toBe(true);
}, 120_000);

test("two processes running digest --send at once: one digest per channel", async () => {
  const tuesday = { ...h.env, ARBOT_NOW: "2026-11-24T10:00:00Z" };
  h.connector.override((c) => (c.kind === "send" && !c.conversationId?.startsWith("a:") ? { status: 200, delayMs: 1500 } : null));
  const since = h.connector.calls.length;
  const [a, b] = await Promise.all([sendJson(tuesday), sendJson(tuesday)]);
  h.connector.clearOverrides();
  for (const channel of [FINANCE_CHANNEL, GROUP_CHAT]) {
    expect([a.channels[channel], b.channels[channel]].filter((o) => o === "posted")).toHaveLength(1);
  }
  const roots = (conversation: string) => digestPosts(conversation, since).filter((c) => /part 1 of|^Overdue digest — [^(]*$/.test(String(c.body.text)));
  expect(roots(FINANCE_CHANNEL)).toHaveLength(1);
  expect(roots(GROUP_CHAT)).toHaveLength(1);
}, 120_000);

test("a run interrupted mid-post is not posted again (Teams has no history) and is reported in the log and in --json", async () => {
  const wednesday = { ...h.env, ARBOT_NOW: "2026-11-25T10:00:00Z" };
  // The Connector never answers the finance channel's post; the process dies while waiting.
  h.connector.override((c) => (c.kind === "send" && c.conversationId === FINANCE_CHANNEL ? { status: 200, delayMs: 600_000 } : null));
  const since = h.connector.calls.length;
  const child = spawn(process.execPath, [ARBOT, "digest", "--send", "--json"], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "test", ...wednesday }, stdio: "ignore" });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  await eventually(() => digestPosts(FINANCE_CHANNEL, since).length > 0, 60_000);
  child.kill("SIGKILL");
  await exited;
  h.connector.clearOverrides();

  // Eleven minutes later the lease has run out.
  const later = await sendJson({ ...wednesday, ARBOT_NOW: "2026-11-25T10:11:00Z" });
  expect(later.channels[FINANCE_CHANNEL]).toBe("interrupted");
  expect(later.stderr).toMatch(/INTERRUPTED while posting/);
  expect(digestPosts(FINANCE_CHANNEL, since)).toHaveLength(1);
  const again = await sendJson({ ...wednesday, ARBOT_NOW: "2026-11-25T10:30:00Z" });
  expect(again.channels[FINANCE_CHANNEL]).toBe("interrupted");
  expect(again.stderr).not.toMatch(/INTERRUPTED/);
  expect(digestPosts(FINANCE_CHANNEL, since)).toHaveLength(1);
}, 180_000);

