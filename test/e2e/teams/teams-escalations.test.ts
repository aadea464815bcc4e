import { runArbot } from "../../support/cli";
import { actionExecute, message, taskFetch, taskSubmit } from "../../support/teams-activities";
import { actionsOf, cardOf, cardText, TeamsHarness, user } from "../../support/teams-harness";
import { ConnectorCall } from "../../support/fake-teams-connector";

/** The escalation sweep delivering on Teams: direct messages in the personal chat, the buttons, the dialogs. */
const h = new TeamsHarness();
const DANA_CHAT = { kind: "personal" as const, chat: "a:dana-personal" };
const ESCALATIONS = "19:collectionsEscalations@thread.skype";
type Action = Record<string, unknown> & { data: Record<string, unknown> };
type TaskAnswer = { task: { type: string; value: unknown } };

const escalationTo = (conversation: string, account: string): ConnectorCall | undefined =>
  h.connector.calls.find((c) => c.kind === "send" && c.conversationId === conversation && String(c.body.text).includes(account) && actionsOf(cardOf(c)).length === 3);

beforeAll(async () => {
  await h.start();
  // Dana talks to arbot in her personal chat: Teams knows her, and arbot the chat to write in.
  const hello = await h.send(message(h.serviceUrl, user("dana"), "mine", DANA_CHAT));
  expect(hello.status).toBe(200);
  // A channel of the team takes the escalations: asked to claim what nobody owns.
  const subscribed = await h.send(message(h.serviceUrl, user("dana"), "subscribe escalations", { kind: "channel", channel: ESCALATIONS }));
  expect(String(subscribed.calls.find((c) => c.kind === "reply")?.body.text)).toMatch(/escalation/i);
  const sweep = await runArbot(["sweep", "--json"], { env: h.env });
  expect(sweep.status).toBe(0);
}, 240_000);
afterAll(() => h.stop());

test("the sweep's direct messages reach an owner in their Teams personal chat, with I'm on it, Snooze and Reassign", async () => {
  const wayne = escalationTo("a:dana-personal", "Wayne Freight")!;
  expect(wayne).toBeDefined();
  expect(String(wayne.body.text)).toContain("Wayne Freight broke its promise to pay");
  const card = cardOf(wayne);
  expect(cardText(card)).toContain("(escalation level 1 of 3)");
  const actions = actionsOf(card);
  expect(actions.map((a) => a.title)).toEqual(["I'm on it", "Snooze", "Reassign"]);
  expect(actions[0]!.type).toBe("Action.Execute");
  expect(actions.slice(1).map((a) => (a.data as { msteams?: { type?: string } }).msteams?.type)).toEqual(["task/fetch", "task/fetch"]);
});

test("I'm on it closes the escalation in place; Snooze and Reassign open dialogs that check what is typed", async () => {
  const wayne = escalationTo("a:dana-personal", "Wayne Freight")!;
  const ack = actionsOf(cardOf(wayne))[0] as Action;
  const acked = await h.send(actionExecute(h.serviceUrl, user("dana"), ack.data, DANA_CHAT, wayne.responseId!));
  expect((acked.body as { type: string }).type).toBe("application/vnd.microsoft.card.adaptive");
  expect(cardText((acked.body as { value: unknown }).value)).toContain("Thanks: you are on Wayne Freight. Its escalation is closed and the idle clock restarts today.");

  const kramerica = escalationTo("a:dana-personal", "Kramerica")!;
  const snooze = actionsOf(cardOf(kramerica))[1] as Action;
  const dialog = await h.send(taskFetch(h.serviceUrl, user("dana"), snooze.data, DANA_CHAT));
  const shown = (dialog.body as TaskAnswer).task.value as { title: string; card: { content: unknown } };
  expect(shown.title).toBe("Snooze escalations");
  const save = actionsOf(shown.card.content).find((a) => a.title === "Save") as Action;
  const refused = await h.send(taskSubmit(h.serviceUrl, user("dana"), { ...save.data, promised_on: "2026-11-20", reason: "" }, DANA_CHAT));
  expect((refused.body as TaskAnswer).task.type).toBe("continue");
  expect(cardText((refused.body as TaskAnswer).task.value)).toContain("Pick a later day than today.");
  expect(cardText((refused.body as TaskAnswer).task.value)).toContain("Give a reason: why wait until then?");
  const saved = await h.send(taskSubmit(h.serviceUrl, user("dana"), { ...save.data, promised_on: "2026-11-27", reason: "waiting for their new PO" }, DANA_CHAT));
  expect((saved.body as TaskAnswer).task).toEqual({ type: "message", value: "Kramerica will not be escalated through 27 Nov 2026." });

  const pollos = escalationTo("a:dana-personal", "Los Pollos Supply")!;
  const reassign = actionsOf(cardOf(pollos))[2] as Action;
  const form = await h.send(taskFetch(h.serviceUrl, user("dana"), reassign.data, DANA_CHAT));
  const reassignCard = ((form.body as TaskAnswer).task.value as { card: { content: unknown } }).card.content;
  expect(cardText(reassignCard)).toContain("New owner's email");
  const submit = actionsOf(reassignCard).find((a) => a.title === "Save") as Action;
  const bad = await h.send(taskSubmit(h.serviceUrl, user("dana"), { ...submit.data, function: "finance", owner_email: "lee" }, DANA_CHAT));
  expect(cardText((bad.body as TaskAnswer).task.value)).toContain("Give the new owner's email, like lee@example.com.");
  const done = await h.send(taskSubmit(h.serviceUrl, user("dana"), { ...submit.data, function: "finance", owner_email: "lee@example.com" }, DANA_CHAT));
  expect((done.body as TaskAnswer).task).toEqual({ type: "message", value: "lee@example.com now owns Los Pollos Supply for finance (was dana@example.com)." });

  const after = JSON.parse((await runArbot(["sweep", "--dry-run", "--json"], { env: h.env })).stdout);
  expect(after.paused).toContainEqual({ accountId: "C1013", why: "snoozed", until: "2026-11-27" });
}, 120_000);

test("an unowned stalled account is posted in the escalation channel through its stored reference, asking someone to claim it", async () => {
  const posts = h.connector.calls.filter((c) => c.kind === "send" && c.conversationId === ESCALATIONS);
  expect(posts.length).toBeGreaterThan(0);
  const ask = posts.find((c) => cardText(cardOf(c)).includes("Nobody owns it: can someone claim it?"))!;
  expect(ask).toBeDefined();
  expect(actionsOf(cardOf(ask)).map((a) => a.title)).toEqual(["I'm on it", "Snooze", "Reassign"]);
});
