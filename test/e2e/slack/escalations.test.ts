import { runArbot } from "../../support/cli";
import { SlackCall } from "../../support/fake-slack";
import { eventually } from "../../support/arbot-server";
import { blocksText, SlackHarness } from "../../support/slack-harness";
import { appHomeOpened, eventCallback } from "../../support/slack-payloads";

/** The sweep over several days against the fake Slack Web API, the clock fixed per day. */
const h = new SlackHarness();
const MONDAY = "2026-11-23T10:00:00Z";

type Button = { action_id: string; value: string };
const buttonsOf = (call: SlackCall): Button[] =>
  ((call.args.blocks as { type: string; elements?: Button[] }[] | undefined) ?? []).flatMap((b) => (b.type === "actions" ? b.elements ?? [] : []));
const dmsTo = (user: string) => h.slack.calls.filter((c) => c.method === "chat.postMessage" && c.args.channel === `D${user}`);
const escalationTo = (user: string, account: string) => dmsTo(user).find((c) => String(c.args.text).includes(account) && buttonsOf(c).length === 3);

beforeAll(async () => {
  await h.start({
    // Lee leads finance for the whole demo: on Monday every level 2 goes to Lee and the
    // channel, more than the default daily limit of 25 (the limit has its own tests).
    env: { AR_ESCALATION_TIME: "10:00", AR_ESCALATION_DAILY_LIMIT: "100" },
    beforeServe: async (env) => {
      expect((await runArbot(["users", "set-lead", "finance", "lee@example.com"], { env })).status).toBe(0);
    },
  });
  // Friday 10:00: the server sweeps as it starts (it was not running at 10:00).
  await eventually(() => /escalation sweep 2026-11-20:/.test(h.server.logs()), 60_000);
}, 240_000);
afterAll(() => h.stop());

test("Friday: each owner gets one direct message per stalled account, with the facts and the three buttons", async () => {
  const wayne = escalationTo("U0DANA", "Wayne Freight")!;
  expect(wayne).toBeDefined();
  expect(String(wayne.args.text)).toContain("*Wayne Freight broke its promise to pay");
  expect(String(wayne.args.text)).toContain("(escalation level 1 of 3)");
  expect(buttonsOf(wayne).map((b) => b.action_id)).toEqual(["escalation_ack", "escalation_snooze", "escalation_reassign"]);
  // A second look the same day finds nothing left to send at level 1.
  const sweepJson = await runArbot(["sweep", "--dry-run", "--json"], { env: h.env });
  const again = JSON.parse(sweepJson.stdout);
  expect(again.escalations.filter((e: { trigger: string; level: number }) => e.level === 1 && e.trigger === "stalled")).toEqual([]);
  expect(dmsTo("U0DANA").filter((c) => String(c.args.text).includes("Wayne Freight"))).toHaveLength(1);
  // Dana's App Home lists what reached her, by trigger and level.
  const since = h.slack.calls.length;
  await h.post(eventCallback(appHomeOpened("U0DANA")).body, "json");
  const home = blocksText(await h.waitFor("views.publish", (c) => c.args.user_id === "U0DANA", since));
  expect(home).toContain("Open escalations");
  expect(home).toContain("Wayne Freight: broken promise, level 1 of 3");
});

test("the three buttons: I'm on it closes it, Snooze asks date and reason, Reassign hands the account over", async () => {
  const ack = buttonsOf(escalationTo("U0DANA", "Wayne Freight")!)[0]!;
  let since = h.slack.calls.length;
  await h.click({ actionId: ack.action_id, value: ack.value, userId: "U0DANA" });
  expect(await h.answerTo("U0DANA", since)).toBe("Thanks: you are on Wayne Freight. Its escalation is closed and the idle clock restarts today.");

  const snooze = buttonsOf(escalationTo("U0DANA", "Kramerica")!)[1]!;
  since = h.slack.calls.length;
  await h.click({ actionId: snooze.action_id, value: snooze.value, userId: "U0DANA", triggerId: "trig-snooze" });
  const modal = await h.waitFor("views.open", () => true, since);
  expect(blocksText(modal)).toContain("No escalations through");
  const view = modal.args.view as { private_metadata: string };
  since = h.slack.calls.length;
  const refused = await h.submit({ callbackId: "snooze_modal", values: { promised_on: { selected_date: "2026-11-20" }, reason: { value: "" } }, privateMetadata: view.private_metadata });
  expect(refused.response.json).toMatchObject({ response_action: "errors", errors: { promised_on: "Pick a later day than today.", reason: "Give a reason: why wait until then?" } });
  await h.submit({ callbackId: "snooze_modal", values: { promised_on: { selected_date: "2026-11-27" }, reason: { value: "waiting for their new PO" } }, privateMetadata: view.private_metadata });
  expect(await h.answerTo("U0DANA", since)).toBe("Kramerica will not be escalated through 27 Nov 2026.");

  const reassign = buttonsOf(escalationTo("U0DANA", "Los Pollos Supply")!)[2]!;
  since = h.slack.calls.length;
  await h.click({ actionId: reassign.action_id, value: reassign.value, userId: "U0DANA", triggerId: "trig-reassign" });
  const form = await h.waitFor("views.open", () => true, since);
  expect(blocksText(form)).toContain("New owner's email");
  since = h.slack.calls.length;
  await h.submit({
    callbackId: "reassign_modal",
    values: { function: { selected_option: "finance" }, owner_email: { value: "lee@example.com" } },
    privateMetadata: (form.args.view as { private_metadata: string }).private_metadata,
  });
  expect(await h.answerTo("U0DANA", since)).toBe("lee@example.com now owns Los Pollos Supply for finance (was dana@example.com).");

  const home = await runArbot(["sweep", "--dry-run", "--json"], { env: h.env });
  expect(JSON.parse(home.stdout).paused).toContainEqual({ accountId: "C1013", why: "snoozed", until: "2026-11-27" });
}, 120_000);

test("Monday: what nobody acted on climbs to level 2 (the finance lead), what was acknowledged, snoozed or reassigned does not", async () => {
  const fridayL1 = new Set(dmsTo("U0DANA").filter((c) => String(c.args.text).includes("level 1 of 3")).map((c) => String(c.args.text).split(" ")[0]));
  const since = h.slack.calls.length;
  h.env.ARBOT_NOW = MONDAY;
  await h.restart();
  await eventually(() => /escalation sweep 2026-11-23:/.test(h.server.logs()), 60_000);
  const monday = h.callsSince(since).filter((c) => c.method === "chat.postMessage");
  const toLee = monday.filter((c) => c.args.channel === "DU0LEE").map((c) => String(c.args.text));
  expect(toLee.some((t) => t.includes("Black Mesa Research") && t.includes("level 2 of 3"))).toBe(true);
  // (Not a strategic account: those stall again after 3 quiet days.)
  for (const quiet of ["Wayne Freight", "Kramerica", "Los Pollos Supply"]) expect(monday.some((c) => String(c.args.text).includes(quiet))).toBe(false);
  // Exactly once per account, episode and level: no Friday level 1 comes again on Monday.
  const again = monday.filter((c) => c.args.channel === "DU0DANA" && String(c.args.text).includes("level 1 of 3") && fridayL1.has(String(c.args.text).split(" ")[0]));
  expect(again).toEqual([]);
}, 120_000);
