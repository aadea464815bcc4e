import { actionsOf, cardOf, cardText, TeamsHarness, user } from "../../support/teams-harness";
import { actionExecute, FINANCE_CHANNEL, message, taskFetch, taskSubmit } from "../../support/teams-activities";
import { ConnectorCall } from "../../support/fake-teams-connector";

const h = new TeamsHarness();
beforeAll(() => h.start(), 180_000);
afterAll(() => h.stop());

const channel = { kind: "channel" as const, channel: FINANCE_CHANNEL };
type Action = Record<string, unknown> & { data: Record<string, unknown> };
type InvokeBody = { statusCode: number; type: string; value: unknown };

/** `@arbot digest` in the channel: the reply card and its activity id. */
async function digestCard(): Promise<{ call: ConnectorCall; card: Record<string, unknown> }> {
  const answer = await h.send(message(h.serviceUrl, user("dana"), "digest", channel));
  const call = answer.calls.find((c) => c.kind === "reply")!;
  return { call, card: cardOf(call) };
}

/** The accounts a digest card lists, in order. */
function accountsOf(card: unknown): string[] {
  return actionsOf(card)
    .filter((a) => a.title === "Claim")
    .map((a) => String((a.data as { account: string }).account));
}

function actionFor(card: unknown, title: string, account: string): Action {
  const action = actionsOf(card).find((a) => a.title === title && (a.data as { account?: string } | undefined)?.account === account);
  if (!action) throw new Error(`no ${title} for ${account}`);
  return action as Action;
}

async function account(name: string): Promise<string> {
  const answer = await h.send(message(h.serviceUrl, user("dana"), `account ${name}`, channel));
  return cardText(cardOf(answer.calls.find((c) => c.kind === "reply")!));
}

describe("digest card actions (Action.Execute)", () => {
  test("Claim answers the refreshed card in the invoke response and updates the card for everyone; a replay answers the current card and changes nothing", async () => {
    const { call, card } = await digestCard();
    const claim = actionFor(card, "Claim", "ACME");
    const click = actionExecute(h.serviceUrl, user("lee"), claim.data, channel, call.responseId!);
    const answer = await h.send(click);
    expect(answer.status).toBe(200);
    const body = answer.body as InvokeBody;
    expect(body.statusCode).toBe(200);
    expect(body.type).toBe("application/vnd.microsoft.card.adaptive");
    expect(cardText(body.value)).toContain("lee@example.com");
    const update = answer.calls.find((c) => c.kind === "update")!;
    expect(update.activityId).toBe(call.responseId);
    expect(cardText(cardOf(update))).toContain("lee@example.com");
    expect(await account("ACME")).toContain("finance lee@example.com");

    // The same invoke again (Teams retries): the current card, no update, no second claim.
    const replay = await h.send(click);
    expect(replay.status).toBe(200);
    expect((replay.body as InvokeBody).type).toBe("application/vnd.microsoft.card.adaptive");
    expect(cardText((replay.body as InvokeBody).value)).toContain("lee@example.com");
    expect(replay.calls).toEqual([]);
  });

  test("a refused Claim answers a message and leaves the card as it is", async () => {
    const { call, card } = await digestCard();
    const answer = await h.send(actionExecute(h.serviceUrl, user("dana"), actionFor(card, "Claim", "ACME").data, channel, call.responseId!));
    const body = answer.body as InvokeBody;
    expect(body.type).toBe("application/vnd.microsoft.activity.message");
    expect(String(body.value)).toContain("already owned by lee@example.com");
    expect(answer.calls.filter((c) => c.kind === "update")).toEqual([]);
  });

  test("Assign (function and person) reassigns the account and refreshes the card", async () => {
    const { call, card } = await digestCard();
    const target = accountsOf(card).find((a) => a !== "ACME")!;
    const assign = actionFor(card, "Assign", target);
    const answer = await h.send(actionExecute(h.serviceUrl, user("dana"), { ...assign.data, function: "finance", email: "lee@example.com" }, channel, call.responseId!));
    expect((answer.body as InvokeBody).value).toEqual(expect.objectContaining({ type: "AdaptiveCard" }));
    expect(answer.calls.some((c) => c.kind === "update")).toBe(true);
    expect(await account(target)).toContain("finance lee@example.com");
    const bad = await h.send(actionExecute(h.serviceUrl, user("dana"), { ...assign.data, function: "finance", email: "nobody" }, channel, call.responseId!));
    expect((bad.body as InvokeBody).value).toBe("Give the new owner's email, like lee@example.com, and the function.");
  });

  test("Escalate escalates once; the replayed click sends nothing more", async () => {
    const { call, card } = await digestCard();
    const target = accountsOf(card).filter((a) => a !== "ACME")[1]!;
    const click = actionExecute(h.serviceUrl, user("dana"), actionFor(card, "Escalate", target).data, channel, call.responseId!);
    const answer = await h.send(click);
    expect((answer.body as InvokeBody).type).toBe("application/vnd.microsoft.card.adaptive");
    expect(cardText((answer.body as InvokeBody).value)).toMatch(/escalated: level/);
    expect(await account(target)).toMatch(/escalat/i);
    const replay = await h.send(click);
    expect((replay.body as InvokeBody).type).toBe("application/vnd.microsoft.card.adaptive");
    expect(replay.calls).toEqual([]);
  });

  test("Show all pages through every overdue account with Next and Previous", async () => {
    const { call, card } = await digestCard();
    const showAll = actionsOf(card).find((a) => /^Show all \d+$/.test(String(a.title))) as Action;
    const total = Number(/\d+/.exec(String(showAll.title))![0]);
    const first = await h.send(actionExecute(h.serviceUrl, user("dana"), showAll.data, channel, call.responseId!));
    const page1 = (first.body as InvokeBody).value;
    expect(cardText(page1)).toContain(`Accounts 1–10 of ${total}`);
    const next = actionsOf(page1).find((a) => a.title === "Next") as Action;
    const second = await h.send(actionExecute(h.serviceUrl, user("dana"), next.data, channel, call.responseId!));
    const page2 = (second.body as InvokeBody).value;
    expect(cardText(page2)).toContain(`Accounts 11–`);
    expect(actionsOf(page2).some((a) => a.title === "Previous")).toBe(true);
  });
});

describe("dialogs (task modules)", () => {
  type TaskAnswer = { task: { type: string; value: { title?: string; card?: { contentType: string; content: Record<string, unknown> } } | string } };

  test("Note from a digest card: task/fetch opens the dialog; invalid input shows it again with the error next to the field; valid input saves", async () => {
    const { card } = await digestCard();
    const note = actionFor(card, "Note", "ACME");
    expect(note.type).toBe("Action.Submit");
    const fetched = await h.send(taskFetch(h.serviceUrl, user("dana"), note.data, channel));
    const task = (fetched.body as TaskAnswer).task;
    expect(task.type).toBe("continue");
    const dialog = task.value as { title: string; card: { contentType: string; content: Record<string, unknown> } };
    expect(dialog.title).toBe("Add a note");
    expect(dialog.card.contentType).toBe("application/vnd.microsoft.card.adaptive");
    const save = actionsOf(dialog.card.content).find((a) => a.title === "Save") as Action;

    const empty = await h.send(taskSubmit(h.serviceUrl, user("dana"), { ...save.data, note_text: "" }, channel));
    const again = (empty.body as TaskAnswer).task;
    expect(again.type).toBe("continue");
    const body = (again.value as unknown as { card: { content: { body: Record<string, unknown>[] } } }).card.content.body;
    const field = body.findIndex((b) => b.id === "note_text");
    expect(body[field + 1]).toMatchObject({ type: "TextBlock", color: "Attention" });

    const saved = await h.send(taskSubmit(h.serviceUrl, user("dana"), { ...save.data, note_text: "Spoke to AP; paying Friday" }, channel));
    expect((saved.body as TaskAnswer).task).toEqual({ type: "message", value: "Note added to Acme Corp." });
    expect(await account("ACME")).toContain("Spoke to AP; paying Friday");
  });

  test("Promise: a past date is refused next to the date; a valid promise is recorded", async () => {
    const fetched = await h.send(taskFetch(h.serviceUrl, user("dana"), { verb: "promise", account: "C1001" }, channel));
    const dialog = (fetched.body as TaskAnswer).task.value as { card: { content: Record<string, unknown> } };
    const save = actionsOf(dialog.card.content).find((a) => a.title === "Save") as Action;
    const past = await h.send(taskSubmit(h.serviceUrl, user("dana"), { ...save.data, amount: "500", currency: "", promised_on: "2026-11-01" }, channel));
    expect(cardText((past.body as TaskAnswer).task.value)).toContain("That date is in the past");
    const ok = await h.send(taskSubmit(h.serviceUrl, user("dana"), { ...save.data, amount: "500", currency: "", promised_on: "2026-11-27" }, channel));
    expect((ok.body as TaskAnswer).task.type).toBe("message");
    expect(String(((ok.body as TaskAnswer).task.value))).toMatch(/promise/i);
  });

  test("dispute typed without arguments answers a card whose button opens the dialog; an unknown invoice is refused in the dialog", async () => {
    const typed = await h.send(message(h.serviceUrl, user("dana"), "dispute", channel));
    const reply = typed.calls.find((c) => c.kind === "reply")!;
    const button = actionsOf(cardOf(reply)).find((a) => (a.data as { msteams?: { type?: string } }).msteams?.type === "task/fetch") as Action;
    const fetched = await h.send(taskFetch(h.serviceUrl, user("dana"), button.data, channel));
    const dialog = (fetched.body as TaskAnswer).task.value as { title: string; card: { content: Record<string, unknown> } };
    expect(dialog.title).toBe("Open a dispute");
    const save = actionsOf(dialog.card.content).find((a) => a.title === "Save") as Action;
    const unknown = await h.send(taskSubmit(h.serviceUrl, user("dana"), { ...save.data, invoice: "NOPE-1", reason: "Wrong price" }, channel));
    expect((unknown.body as TaskAnswer).task.type).toBe("continue");
    expect(cardText((unknown.body as TaskAnswer).task.value)).toContain("NOPE-1");
  });
});
