import { runArbot } from "../../support/cli";
import { SlackHarness } from "../../support/slack-harness";

const h = new SlackHarness();
// The server's clock stands at NOW (Friday 10:00 UTC) and its scheduler checks every minute:
// a subscription due by then could be posted by the server itself before it stops. So the
// channels subscribe for later that morning, and the command line runs at 11:00.
const later = (env: Record<string, string>, at = "2026-11-20T11:00:00Z") => ({ ...env, ARBOT_NOW: at });
const digestPosts = (channel: string) =>
  h.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === channel && (c.args.metadata as { event_type?: string } | undefined)?.event_type === "arbot_digest");

beforeAll(async () => {
  await h.start();
  h.slack.channels.set("C0GONE", { member: false });
  for (const [channel, text] of [
    ["C0FINANCE", "subscribe finance at 10:30"],
    ["C0SALES", "subscribe sales at 10:45"],
    ["C0GONE", "subscribe at 10:30"],
  ]) {
    const since = h.slack.calls.length;
    await h.command(text!, "U0DANA", { channel_id: channel });
    await h.answerTo("U0DANA", since);
  }
  await h.server.stop(); // the command line takes over the database
}, 180_000);
afterAll(() => h.stop());

test("arbot digest --send serves every subscribed channel once a day; a channel arbot left fails and the subscriber is told", async () => {
  const first = await runArbot(["digest", "--send"], { env: later(h.env) });
  expect(first.status).toBe(0);
  expect(first.stdout).toContain("C0FINANCE: posted");
  expect(first.stdout).toContain("C0SALES: posted");
  expect(first.stdout).toContain("C0GONE: failed (the subscriber was told)");
  expect(digestPosts("C0FINANCE")).toHaveLength(1);
  expect(digestPosts("C0SALES")).toHaveLength(1);
  const dm = h.slack.callsTo("chat.postMessage").find((c) => c.args.channel === "DU0DANA");
  expect(dm?.args.text).toContain("Today's AR digest could not be posted in <#C0GONE>: not_in_channel");

  // The sales channel names sales owners only; the finance one finance owners.
  expect(JSON.stringify(digestPosts("C0SALES")[0]!.args.blocks)).toContain("Owners: sales");
  expect(JSON.stringify(digestPosts("C0FINANCE")[0]!.args.blocks)).not.toContain("Owners: sales");

  const again = await runArbot(["digest", "--send", "--json"], { env: later(h.env) });
  expect(JSON.parse(again.stdout)).toEqual({ channels: { C0FINANCE: "already_served", C0SALES: "already_served", C0GONE: "failed" } });
  expect(digestPosts("C0FINANCE")).toHaveLength(1);
  expect(h.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === "DU0DANA")).toHaveLength(1);
});

test("two processes running digest --send at once: one post per channel, on PostgreSQL and on PGlite", async () => {
  const monday = later(h.env, "2026-11-23T11:00:00Z");
  // Slack answers slowly, so both processes are surely inside their run at the same time.
  const slowPost = (args: Record<string, unknown>) => (args.metadata ? { body: { ok: true, channel: args.channel, ts: `1700000001.${Date.now()}` }, delayMs: 1500 } : null);
  h.slack.clearOverrides();
  h.slack.override("chat.postMessage", slowPost);
  const before = h.slack.callsTo("chat.postMessage").length;

  // On PGlite the process that opens the folder first runs the other's command for it.
  const [a, b] = await Promise.all([runArbot(["digest", "--send", "--json"], { env: monday }), runArbot(["digest", "--send", "--json"], { env: monday })]);
  expect([a.status, b.status]).toEqual([0, 0]);
  const outcomes = [JSON.parse(a.stdout).channels, JSON.parse(b.stdout).channels];
  for (const channel of ["C0FINANCE", "C0SALES"]) {
    expect(outcomes.map((o) => o[channel]).filter((x: string) => x === "posted")).toHaveLength(1);
  }
  const posts = h.slack.callsTo("chat.postMessage").slice(before).filter((c) => c.args.metadata);
  expect(posts.filter((c) => c.args.channel === "C0FINANCE")).toHaveLength(1);
  expect(posts.filter((c) => c.args.channel === "C0SALES")).toHaveLength(1);
  h.slack.clearOverrides();
}, 120_000);

test("arbot escalate from the command line messages the owners, or asks the digest channels when nobody owns the account", async () => {
  const before = h.slack.calls.length;
  const owned = await runArbot(["escalate", "globex", "--reason", "Past 120 days"], { env: h.env });
  expect(owned.status).toBe(0);
  // Only dana is on the fake Slack workspace: the others are named as unreachable.
  expect(owned.stdout).toBe("Escalated Globex Industries: sent to dana@example.com (not on Slack: morgan@example.com, chris@example.com).\n");
  const dms = h.slack.calls.slice(before).filter((c) => c.method === "chat.postMessage" && String(c.args.channel).startsWith("D"));
  expect(dms.length).toBeGreaterThanOrEqual(1);
  expect(String(dms[0]!.args.text)).toContain("escalated *Globex Industries* (C1001), which you own: “Past 120 days”");

  const unowned = await runArbot(["escalate", "ACME"], { env: h.env });
  // Finance and "all" channels are asked; the one arbot was removed from is named.
  expect(unowned.status).toBe(0);
  expect(unowned.stdout).toBe("Escalated Acme Corp: sent to 1 channel asking someone to claim it (could not post in C0GONE (not_in_channel)).\n");
  const noSlack = await runArbot(["escalate", "ACME"], { env: { ...h.env, SLACK_BOT_TOKEN: "" } });
  expect(noSlack.status).toBe(78);
});
